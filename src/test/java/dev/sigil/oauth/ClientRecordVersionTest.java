package dev.sigil.oauth;

import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Client authentication reuses a client's record under its version in Redis instead of reading PostgreSQL
 * per grant: every admin change is seen by the very next grant, also when another replica made it
 * (emulated here by writing PostgreSQL and the version directly, as that replica would).
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class ClientRecordVersionTest {

    private String adminToken;

    private RequestSpecification admin() {
        if (adminToken == null) {
            adminToken = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        }
        return given().auth().oauth2(adminToken).contentType(ContentType.JSON);
    }

    private record Registered(String id, String secret) {
    }

    private Registered register() {
        String id = "ver-" + UUID.randomUUID().toString().substring(0, 12);
        Response r = admin().body(Map.of("client_id", id, "scopes", List.of("orders.read", "orders.write"),
                "default_scopes", List.of("orders.read"), "audience", List.of("orders-api"))).post("/admin/clients");
        r.then().statusCode(201);
        return new Registered(id, r.jsonPath().getString("client_secret"));
    }

    private static Response token(Registered c, String secret, String scope) {
        RequestSpecification s = given().auth().preemptive().basic(c.id(), secret).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials");
        if (scope != null) {
            s.formParam("scope", scope);
        }
        return s.post("/oauth2/token");
    }

    private static Response token(Registered c) {
        return token(c, c.secret(), null);
    }

    private static String version(Registered c) {
        return (String) TestRedis.call("HGET", "sigil:{c:" + c.id() + "}:v", "v");
    }

    /** Another replica's write: PostgreSQL only, so this replica's cache hears nothing of it. */
    private static void setEnabledInDatabase(Registered c, boolean enabled) {
        try (Connection conn = DriverManager.getConnection(TestUsers.jdbc(), "postgres", "");
             PreparedStatement ps = conn.prepareStatement("update sigil.clients set enabled = ? where id = ?")) {
            ps.setBoolean(1, enabled);
            ps.setString(2, c.id());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theVeryNextGrantSeesEachAdminChange() {
        Registered c = register();
        token(c, c.secret(), "orders.write").then().statusCode(200);
        admin().body(Map.of("scopes", List.of("orders.read"))).patch("/admin/clients/" + c.id()).then().statusCode(200);
        token(c, c.secret(), "orders.write").then().statusCode(400).body("error", equalTo("invalid_scope"));

        String fresh = admin().body(Map.of("overlap_seconds", 0)).post("/admin/clients/" + c.id() + "/secret")
                .then().statusCode(200).extract().jsonPath().getString("client_secret");
        token(c).then().statusCode(401).body("error", equalTo("invalid_client"));
        Registered rotated = new Registered(c.id(), fresh);
        token(rotated).then().statusCode(200);

        admin().body(Map.of("enabled", false)).patch("/admin/clients/" + c.id()).then().statusCode(200);
        token(rotated).then().statusCode(401).body("error", equalTo("invalid_client"));
        admin().body(Map.of("enabled", true)).patch("/admin/clients/" + c.id()).then().statusCode(200);
        token(rotated).then().statusCode(200);

        admin().delete("/admin/clients/" + c.id()).then().statusCode(204);
        token(rotated).then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void aGrantCreatesTheVersionAndEachAdminChangeMovesIt() {
        Registered c = register();
        token(c).then().statusCode(200);
        String first = version(c);
        assertThat(first).isNotNull();
        token(c).then().statusCode(200);
        assertThat(version(c)).isEqualTo(first);
        admin().body(Map.of("token_lifetime", 60)).patch("/admin/clients/" + c.id()).then().statusCode(200);
        String second = version(c);
        assertThat(second).isNotNull().isNotEqualTo(first);
        assertThat(TestRedis.call("HGET", "sigil:{c:" + c.id() + "}:v", "n")).isEqualTo("0");
        assertThat((Long) TestRedis.call("PTTL", "sigil:{c:" + c.id() + "}:v")).isPositive();
    }

    @Test
    void aChangeMadeByAnotherReplicaIsSeenAtTheNextGrant() {
        Registered c = register();
        token(c).then().statusCode(200);
        assertThat(version(c)).isNotNull();
        setEnabledInDatabase(c, false);
        TestRedis.call("HSET", "sigil:{c:" + c.id() + "}:v", "v", UUID.randomUUID().toString()); // that replica's end of the change
        token(c).then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void aScopeRemovedByAnotherReplicaIsSeenAtTheNextIntrospection() {
        Registered c = register();
        String token = token(c, c.secret(), "orders.read orders.write").then().statusCode(200).extract().jsonPath().getString("access_token");
        introspect(c, token).then().body("active", equalTo(true)).body("scope", equalTo("orders.read orders.write"));
        try (Connection conn = DriverManager.getConnection(TestUsers.jdbc(), "postgres", "");
             PreparedStatement ps = conn.prepareStatement("update sigil.clients set scopes = '{orders.read}' where id = ?")) {
            ps.setString(1, c.id());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        TestRedis.call("HSET", "sigil:{c:" + c.id() + "}:v", "v", UUID.randomUUID().toString()); // that replica's end of the change
        introspect(c, token).then().body("active", equalTo(true)).body("scope", equalTo("orders.read"));
    }

    private static Response introspect(Registered caller, String token) {
        return given().auth().preemptive().basic(caller.id(), caller.secret()).contentType(ContentType.URLENC)
                .formParam("token", token).post("/oauth2/introspect");
    }

    @Test
    void whileAChangeIsInFlightTheRecordIsReadOnEveryGrantAndAnotherChangeDoesNotEndIt() {
        Registered c = register();
        String key = "sigil:{c:" + c.id() + "}:v";
        token(c).then().statusCode(200);
        TestRedis.call("HINCRBY", key, "n", "1"); // another replica's change, begun and never ended
        token(c).then().statusCode(200);
        setEnabledInDatabase(c, false);
        token(c).then().statusCode(401).body("error", equalTo("invalid_client"));
        setEnabledInDatabase(c, true);
        token(c).then().statusCode(200);

        String before = version(c);
        admin().body(Map.of("token_lifetime", 60)).patch("/admin/clients/" + c.id()).then().statusCode(200);
        assertThat(TestRedis.call("HGET", key, "n")).isEqualTo("1");
        assertThat(version(c)).isEqualTo(before);
        setEnabledInDatabase(c, false);
        token(c).then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    /** How often a Redis script ran so far, from Sigil's own timer ({@code sigil_redis_script_seconds{script}}). */
    private static double scriptRuns(String script) {
        String text = given().accept("text/plain").get("/q/metrics").asString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^sigil_redis_script_seconds_count\\{[^}]*script=\"" + script
                + "\"[^}]*\\} ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static Response tokenFrom(String address, Registered c, String secret) {
        return given().header("X-Forwarded-For", address).auth().preemptive().basic(c.id(), secret).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").post("/oauth2/token");
    }

    @Test
    void aSecretMatchingTheCachedRecordIsSettledInOneCallAndResetsTheFailures() {
        Registered c = register();
        String address = "203.0.113." + (1 + new java.util.Random().nextInt(250));
        String failures = "sigil:rl:{c:" + c.id() + "}:fail:" + address;
        tokenFrom(address, c, c.secret()).then().statusCode(200); // reads and caches the record
        tokenFrom(address, c, "wrong").then().statusCode(401);
        assertThat(TestRedis.hash(failures)).containsEntry("n", "1");

        double checks = scriptRuns("client-check");
        double failed = scriptRuns("client-failed");
        tokenFrom(address, c, c.secret()).then().statusCode(200);
        assertThat(scriptRuns("client-check")).isEqualTo(checks + 1); // one call: checked and settled at once
        assertThat(scriptRuns("client-failed")).isEqualTo(failed);
        assertThat(TestRedis.hash(failures)).isEmpty();

        tokenFrom(address, c, "wrong").then().statusCode(401); // a wrong secret is recorded by a second call
        assertThat(scriptRuns("client-failed")).isEqualTo(failed + 1);
    }

    @Test
    void aClientWhoseVersionRedisLostGetsANewOneAtItsNextGrant() {
        Registered c = register();
        token(c).then().statusCode(200);
        TestRedis.call("DEL", "sigil:{c:" + c.id() + "}:v");
        token(c).then().statusCode(200);
        String fresh = version(c);
        assertThat(fresh).isNotNull();
        setEnabledInDatabase(c, false);
        TestRedis.call("HSET", "sigil:{c:" + c.id() + "}:v", "v", UUID.randomUUID().toString());
        token(c).then().statusCode(401).body("error", equalTo("invalid_client"));
    }
}
