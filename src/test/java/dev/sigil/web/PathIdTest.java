package dev.sigil.web;

import dev.sigil.support.Api;
import dev.sigil.support.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Ids in URL paths are typed parameters (the id types' {@code fromString}): a malformed one is 404 problem+json,
 * but only after the caller was authenticated and authorised, so an anonymous or unprivileged caller learns
 * nothing about which ids are well formed. The OpenAPI document still shows them as strings.
 */
@QuarkusTest
class PathIdTest {

    private static final List<String> MALFORMED = List.of("/admin/users/not-a-uuid", "/admin/users/not-a-uuid/mfa",
            "/admin/clients/NOT%7Dvalid", "/sessions/too-short");

    private static String token(String... roles) {
        return Api.accessToken(Api.loggedIn(TestUsers.create(roles)));
    }

    @Test
    void aMalformedIdWithoutATokenIs401() {
        for (String path : MALFORMED) {
            given().urlEncodingEnabled(false).delete(path).then().statusCode(401).body("code", equalTo("unauthorized"));
        }
    }

    @Test
    void aMalformedIdFromACallerWithoutTheAdminRoleIs403() {
        String reader = token("reader");
        for (String path : MALFORMED.subList(0, 3)) {
            given().urlEncodingEnabled(false).auth().oauth2(reader).delete(path).then().statusCode(403)
                    .body("code", equalTo("forbidden"));
        }
    }

    @Test
    void aMalformedIdFromAnAuthorisedCallerIs404ProblemJson() {
        String admin = token("admin");
        for (String path : MALFORMED) {
            given().urlEncodingEnabled(false).auth().oauth2(admin).delete(path).then().statusCode(404)
                    .contentType("application/problem+json").body("code", equalTo("not_found"));
        }
    }

    @Test
    void pathIdsAreStringsInTheOpenApiDocument() {
        var doc = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        for (String operation : List.of("'/admin/users/{id}'.get", "'/admin/users/{id}/mfa'.delete", "'/admin/clients/{id}'.get",
                "'/sessions/{id}'.delete")) {
            String schema = "paths." + operation + ".parameters.find { it.name == 'id' }.schema";
            String ref = doc.getString(schema + ".$ref");
            String type = ref == null ? doc.getString(schema + ".type")
                    : doc.getString("components.schemas." + ref.substring(ref.lastIndexOf('/') + 1) + ".type");
            assertThat(type).as(operation).isEqualTo("string");
        }
    }
}
