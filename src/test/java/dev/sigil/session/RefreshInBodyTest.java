package dev.sigil.session;

import dev.sigil.support.FlippedSwitches;
import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** The switch for native and mobile clients: the refresh token also travels in JSON bodies. */
@QuarkusTest
@TestProfile(FlippedSwitches.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class RefreshInBodyTest {

    @Test
    void loginReturnsTheRefreshTokenInTheBodyAsWellAsTheCookie() {
        Response r = Api.loggedIn(TestUsers.create());
        assertThat(r.jsonPath().getString("refresh_token")).isEqualTo(Api.refreshCookie(r)).hasSize(114);
    }

    @Test
    void refreshAcceptsTheTokenInAJsonBodyAndRotatesIt() {
        String first = Api.loggedIn(TestUsers.create()).jsonPath().getString("refresh_token");
        Response r = given().contentType(ContentType.JSON).body(Map.of("refresh_token", first)).post("/refresh-token");
        r.then().statusCode(200).header("Cache-Control", "no-store");
        String second = r.jsonPath().getString("refresh_token");
        assertThat(second).isNotEqualTo(first).isEqualTo(Api.refreshCookie(r));
        given().contentType(ContentType.JSON).body(Map.of("refresh_token", second)).post("/refresh-token")
                .then().statusCode(200);
    }

    @Test
    void malformedRefreshBodiesAreRefused() {
        given().contentType(ContentType.JSON).body("{\"refresh_token\": 5}").post("/refresh-token")
                .then().statusCode(400).body("code", equalTo("validation_failed"));
        given().contentType(ContentType.TEXT).body("abc").post("/refresh-token")
                .then().statusCode(415).body("code", equalTo("unsupported_media_type"));
    }
}
