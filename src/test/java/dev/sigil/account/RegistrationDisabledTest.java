package dev.sigil.account;

import dev.sigil.support.FlippedSwitches;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** The prod default: self-registration off. */
@QuarkusTest
@TestProfile(FlippedSwitches.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class RegistrationDisabledTest {

    @Test
    void registrationIsNotFoundWhenDisabledAndCreatesNothing() {
        String name = TestUsers.uniqueName("off");
        given().contentType(ContentType.JSON).body(Map.of("username", name, "password", RegistrationTest.GOOD))
                .post("/users").then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo("not_found"));
        assertThat(RegistrationTest.usersNamed(name)).isZero();
    }

    @Test
    void aDisabledRegistrationIsNotFoundEvenForAMalformedBody() {
        given().contentType(ContentType.JSON).body("{").post("/users").then().statusCode(404);
    }
}
