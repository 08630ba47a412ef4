package dev.sigil.health;

import dev.sigil.support.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class HealthAndOpenApiTest {

    @Test
    void readinessIsTheSigningKeyAndDependenciesAreReportedApart() {
        // Redis and PostgreSQL are shared by every replica: not readiness (issue 30; RedisStallTest stalls Redis).
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.contains("signing-key"))
                .body("checks.find { it.name == 'signing-key' }.data.kid", equalTo(TestKeys.active().kid()));
        given().get("/q/health/well").then().statusCode(200)
                .body("checks.find { it.name == 'dependencies' }.data.redis", equalTo("up"))
                .body("checks.find { it.name == 'dependencies' }.data.postgresql", equalTo("up"));
    }

    @Test
    void livenessIsUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void openApiDescribesErrorsAsProblemJsonWithExamples() {
        var doc = given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        assertThat(doc.getMap("paths.'/login'.post.responses").keySet()).contains("200", "400", "401", "403", "415", "429", "503");
        assertThat(doc.getString("paths.'/login'.post.responses.'401'.content.'application/problem+json'.schema.$ref"))
                .isEqualTo("#/components/schemas/Problem");
        assertThat(doc.getMap("paths.'/login'.post.requestBody.content.'application/json'.examples")).isNotEmpty();
        assertThat(doc.getMap("paths.'/me'.get.responses").keySet()).contains("200", "401", "403", "503");
        assertThat(doc.getMap("paths.'/admin/users'.get.responses").keySet()).contains("401", "403", "503");
        assertThat(doc.getMap("paths.'/sessions/{id}'.delete.responses").keySet()).contains("204", "401", "404", "503");
        assertThat(doc.getMap("components.schemas.Problem.properties").keySet())
                .contains("type", "title", "status", "detail", "code");
    }

    @Test
    void openApiDescribesEveryEndpoint() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body(containsString("\"/login\""))
                .body(containsString("\"/refresh-token\""))
                .body(containsString("\"/sessions\""))
                .body(containsString("\"/sessions/{id}\""))
                .body(containsString("\"/me\""))
                .body(containsString("\"/.well-known/jwks.json\""))
                .body(containsString("\"/.well-known/openid-configuration\""))
                .body(containsString("\"/users\""))
                .body(containsString("\"/me/password\""))
                .body(containsString("\"/admin/users\""))
                .body(containsString("\"/admin/users/{id}\""))
                .body(containsString("\"/admin/users/{id}/password\""));
    }
}
