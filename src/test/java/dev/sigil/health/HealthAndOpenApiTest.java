package dev.sigil.health;

import dev.sigil.support.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class HealthAndOpenApiTest {

    @Test
    void readinessCoversPostgresqlRedisAndTheSigningKey() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("signing-key", "Redis connection health check",
                        "Reactive PostgreSQL connections health check"))
                .body("checks.find { it.name == 'signing-key' }.data.kid", equalTo(TestKeys.active().kid()));
    }

    @Test
    void livenessIsUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
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
                .body(containsString("\"/.well-known/openid-configuration\""));
    }
}
