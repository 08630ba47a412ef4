package dev.sigil.web;

import dev.sigil.support.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The browser client is always served; the demo page is off unless enabled, and the API's CSP stays strict. */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class BrowserAssetsTest {

    static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";

    @Test
    void clientModuleIsServedAsCacheableJavaScript() {
        String etag = given().get("/sigil-web.js").then().statusCode(200)
                .contentType("text/javascript; charset=utf-8")
                .header("Cache-Control", "public, max-age=300")
                .header("X-Content-Type-Options", "nosniff")
                .body(containsString("export class SigilClient"))
                .extract().header("ETag");

        given().header("If-None-Match", etag).get("/sigil-web.js").then().statusCode(304);
        given().header("If-None-Match", etag).header("Cache-Control", "no-cache").get("/sigil-web.js").then().statusCode(304);
    }

    @Test
    void demoPageIsOffByDefault() {
        given().get("/demo/").then().statusCode(404);
        given().get("/demo/demo.js").then().statusCode(404);
    }

    @Test
    void apiKeepsItsStrictContentSecurityPolicy() {
        given().get("/.well-known/jwks.json").then().statusCode(200).header("Content-Security-Policy", API_CSP);
        given().get("/me").then().statusCode(401).header("Content-Security-Policy", API_CSP);
    }
}
