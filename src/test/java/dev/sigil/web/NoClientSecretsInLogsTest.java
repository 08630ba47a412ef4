package dev.sigil.web;

import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The life of an OAuth client (create, grants by Basic and form, a wrong secret, introspection, rotation,
 * revocation, disabling) with every log record captured at every level: no client secret, secret digest
 * or client token shows up in a log line or an error answer.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class NoClientSecretsInLogsTest {

    private static final List<String> CATEGORIES = List.of("", "dev.sigil", "org.jose4j", "io.quarkus.security", "io.quarkus.vertx.http",
            "io.vertx", "io.quarkus.redis", "org.hibernate", "org.jboss.resteasy.reactive", "io.quarkus.resteasy.reactive", "io.quarkus.rest");
    private static final List<String> CLIENT_SIDE = List.of("org.apache.http", "io.restassured");

    private final NoSecretsInLogsTest.Capture capture = new NoSecretsInLogsTest.Capture();
    private final Map<String, Level> savedLevels = new LinkedHashMap<>();
    private final Map<Handler, Level> savedHandlerLevels = new LinkedHashMap<>();
    private final List<Response> errors = new ArrayList<>();

    @BeforeEach
    void captureEverything() {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            savedHandlerLevels.put(h, h.getLevel());
            h.setLevel(Level.INFO);
        }
        for (String category : CATEGORIES) {
            savedLevels.put(category, Logger.getLogger(category).getLevel());
            Logger.getLogger(category).setLevel(Level.ALL);
        }
        for (String category : CLIENT_SIDE) {
            savedLevels.put(category, Logger.getLogger(category).getLevel());
            Logger.getLogger(category).setLevel(Level.INFO);
        }
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
    }

    @AfterEach
    void restoreLogging() {
        Logger.getLogger("").removeHandler(capture);
        savedLevels.forEach((category, level) -> Logger.getLogger(category).setLevel(level));
        savedHandlerLevels.forEach(Handler::setLevel);
    }

    private Response seen(Response r) {
        if (r.statusCode() >= 400) {
            errors.add(r);
        }
        return r;
    }

    private Response grant(String id, String secret) {
        return seen(given().auth().preemptive().basic(id, secret).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").post("/oauth2/token"));
    }

    @Test
    void noClientSecretDigestOrTokenAppearsInAnyLogLineOrErrorAnswer() {
        String admin = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        String id = "logs-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> secrets = new LinkedHashMap<>();
        Response created = seen(given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("client_id", id, "scopes", List.of("a"), "audience", List.of("orders-api"))).post("/admin/clients"));
        created.then().statusCode(201);
        String secret = created.jsonPath().getString("client_secret");
        secrets.put("secret", secret);
        secrets.put("digest", digest(id));

        String token = grant(id, secret).then().statusCode(200).extract().jsonPath().getString("access_token");
        secrets.put("token", token);
        secrets.put("token signature", token.substring(token.lastIndexOf('.') + 1));
        grant(id, secret + "x").then().statusCode(401);
        seen(given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials").formParam("client_id", id)
                .formParam("client_secret", "wrong-" + secret).post("/oauth2/token")).then().statusCode(401);
        seen(given().auth().preemptive().basic(id, secret).contentType(ContentType.URLENC).formParam("token", token)
                .post("/oauth2/introspect")).then().statusCode(200);

        Response rotated = seen(given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("overlap_seconds", 60))
                .post("/admin/clients/" + id + "/secret"));
        String fresh = rotated.jsonPath().getString("client_secret");
        secrets.put("rotated secret", fresh);
        secrets.put("rotated digest", digest(id));
        String second = grant(id, fresh).then().statusCode(200).extract().jsonPath().getString("access_token");
        secrets.put("second token", second);
        seen(given().auth().preemptive().basic(id, fresh).contentType(ContentType.URLENC).formParam("token", second)
                .post("/oauth2/revoke")).then().statusCode(200);
        seen(given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("enabled", false)).patch("/admin/clients/" + id))
                .then().statusCode(200);
        grant(id, fresh).then().statusCode(401);

        List<String> lines = List.copyOf(capture.lines);
        assertThat(lines).anyMatch(l -> l.contains("event=client_created")).anyMatch(l -> l.contains("event=client_secret_rotated"))
                .anyMatch(l -> l.startsWith("DEBUG") || l.startsWith("TRACE") || l.startsWith("FINE"));
        assertThat(errors).hasSizeGreaterThanOrEqualTo(3);
        List<String> leaks = new ArrayList<>();
        secrets.forEach((what, value) -> {
            lines.stream().filter(l -> l.contains(value)).forEach(l -> leaks.add(what + " in log line: " + l));
            errors.stream().filter(r -> r.asString().contains(value) || r.headers().toString().contains(value))
                    .forEach(r -> leaks.add(what + " in error answer: " + r.statusCode()));
        });
        assertThat(leaks).as("secrets leaked (out of %d log records)", lines.size()).isEmpty();
    }

    private static String digest(String id) {
        try (var c = java.sql.DriverManager.getConnection(TestUsers.jdbc(), "postgres", "");
             var ps = c.prepareStatement("select secret_digest from sigil.clients where id = ?")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
