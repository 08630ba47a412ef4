package dev.sigil.web;

import dev.sigil.support.FlippedSwitches;
import dev.sigil.support.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

/** With sigil.web.demo.enabled the demo page is served under its own CSP; the API's stays strict. */
@QuarkusTest
@TestProfile(FlippedSwitches.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class DemoPageTest {

    static final String DEMO_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    @Test
    void demoPageIsServedWithACspAllowingOnlyItsOwnScriptStyleAndCalls() {
        given().get("/demo/").then().statusCode(200).contentType("text/html; charset=utf-8")
                .header("Content-Security-Policy", DEMO_CSP)
                .body(containsString("<script type=\"module\" src=\"demo.js\"></script>"))
                .body(not(containsString("<script>"))).body(not(containsString(" style=")));
        given().get("/demo/demo.js").then().statusCode(200).contentType("text/javascript; charset=utf-8")
                .header("Content-Security-Policy", DEMO_CSP).body(containsString("from '../sigil-web.js'"));
        given().get("/demo/demo.css").then().statusCode(200).contentType("text/css; charset=utf-8");
    }

    @Test
    void demoWithoutTrailingSlashRedirects() {
        given().redirects().follow(false).get("/demo").then().statusCode(302).header("Location", "/demo/");
    }

    @Test
    void apiKeepsItsStrictCspWhileTheDemoIsOn() {
        given().get("/me").then().statusCode(401).header("Content-Security-Policy", BrowserAssetsTest.API_CSP);
        given().get("/sigil-web.js").then().statusCode(200).header("Content-Security-Policy", BrowserAssetsTest.API_CSP);
    }
}
