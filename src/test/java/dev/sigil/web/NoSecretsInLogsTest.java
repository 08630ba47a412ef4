package dev.sigil.web;

import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole life of an account (register, failed login, login, refresh, grace refresh, /me, /sessions,
 * password change, reuse detection, logout) with every log record captured at every level: no password,
 * access token, refresh token (nor its secret part) or password hash may show up in a log line or in an
 * error answer.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class NoSecretsInLogsTest {

    /** Categories raised to ALL for the test (the root covers the rest unless configured otherwise). */
    private static final List<String> CATEGORIES = List.of("", "dev.sigil", "io.quarkus.smallrye.jwt", "io.smallrye.jwt",
            "org.jose4j", "io.quarkus.security", "io.quarkus.vertx.http", "io.vertx", "io.quarkus.redis", "org.hibernate",
            "org.hibernate.orm.jdbc.error", "org.jboss.resteasy.reactive", "io.quarkus.resteasy.reactive", "io.quarkus.rest");

    /** REST Assured's HTTP client, which runs in the same JVM; kept at INFO and not captured. */
    private static final List<String> CLIENT_SIDE = List.of("org.apache.http", "io.restassured");

    /** Every record, formatted with its parameters and the stack trace of its throwable. */
    static final class Capture extends Handler {
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void publish(LogRecord r) {
            String logger = r.getLoggerName() == null ? "" : r.getLoggerName();
            if (CLIENT_SIDE.stream().anyMatch(logger::startsWith)) {
                return; // the test's own HTTP client (same JVM) logs what it sends: not the service's log
            }
            StringBuilder sb = new StringBuilder(r.getLevel() + " [" + r.getLoggerName() + "] ");
            sb.append(r instanceof ExtLogRecord ext ? ext.getFormattedMessage() : new SimpleFormatter().formatMessage(r));
            if (r.getParameters() != null) {
                for (Object p : r.getParameters()) {
                    sb.append(" | ").append(p);
                }
            }
            if (r.getThrown() != null) {
                StringWriter w = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(w));
                sb.append('\n').append(w);
            }
            lines.add(sb.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private final Capture capture = new Capture();
    private final Map<String, Level> savedLevels = new LinkedHashMap<>();
    private final Map<Handler, Level> savedHandlerLevels = new LinkedHashMap<>();
    private final List<Response> errors = new ArrayList<>();

    @BeforeEach
    void captureEverything() {
        Logger root = Logger.getLogger("");
        // Keep the console readable: only the capture sees the extra records.
        for (Handler h : root.getHandlers()) {
            savedHandlerLevels.put(h, h.getLevel());
            h.setLevel(Level.INFO);
        }
        for (String category : CATEGORIES) {
            Logger l = Logger.getLogger(category);
            savedLevels.put(category, l.getLevel());
            l.setLevel(Level.ALL);
        }
        for (String category : CLIENT_SIDE) {
            Logger l = Logger.getLogger(category);
            savedLevels.put(category, l.getLevel());
            l.setLevel(Level.INFO);
        }
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
    }

    @AfterEach
    void restoreLogging() {
        Logger root = Logger.getLogger("");
        root.removeHandler(capture);
        savedLevels.forEach((category, level) -> Logger.getLogger(category).setLevel(level));
        savedHandlerLevels.forEach(Handler::setLevel);
    }

    private Response seen(Response r) {
        if (r.statusCode() >= 400) {
            errors.add(r);
        }
        return r;
    }

    @Test
    void noSecretAppearsInAnyLogLineOrErrorAnswer() {
        String username = TestUsers.uniqueName("nosecret");
        String firstPassword = "orchid-" + UUID.randomUUID();
        String secondPassword = "lantern-" + UUID.randomUUID();
        String wrongPassword = "wrongful-" + UUID.randomUUID();
        List<String> accessTokens = new ArrayList<>();
        List<String> refreshTokens = new ArrayList<>();
        List<String> hashes = new ArrayList<>();

        // register
        Response registered = seen(given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", firstPassword, "email", username + "@example.com")).post("/users"));
        registered.then().statusCode(201);
        UUID id = UUID.fromString(registered.jsonPath().getString("id"));
        hashes.add(TestUsers.passwordHash(id));
        seen(given().contentType(ContentType.JSON).body(Map.of("username", username, "password", "short")).post("/users"))
                .then().statusCode(400);

        // failed login, login
        seen(Api.login(username, wrongPassword)).then().statusCode(401);
        Response login = seen(Api.login(username, firstPassword));
        login.then().statusCode(200);
        accessTokens.add(Api.accessToken(login));
        String first = Api.refreshCookie(login);
        refreshTokens.add(first);

        // refresh, then the grace refresh of the same token
        Response rotated = seen(Api.refresh(first));
        rotated.then().statusCode(200);
        accessTokens.add(Api.accessToken(rotated));
        String second = Api.refreshCookie(rotated);
        refreshTokens.add(second);
        Response grace = seen(Api.refresh(first));
        grace.then().statusCode(200);
        accessTokens.add(Api.accessToken(grace));
        assertThat(Api.refreshCookie(grace)).isEqualTo(second);

        // bearer endpoints
        String access = Api.accessToken(rotated);
        seen(Api.me(access)).then().statusCode(200);
        seen(given().auth().oauth2(access).get("/sessions")).then().statusCode(200);
        seen(Api.me(access + "x")).then().statusCode(401);

        // password change: a wrong current password, then the real change
        seen(changePassword(access, wrongPassword, secondPassword)).then().statusCode(403);
        seen(changePassword(access, firstPassword, "password")).then().statusCode(400);
        seen(changePassword(access, firstPassword, secondPassword)).then().statusCode(204);
        hashes.add(TestUsers.passwordHash(id));
        seen(Api.login(username, firstPassword)).then().statusCode(401);

        // reuse detection: generation 1 comes back after generation 3 exists
        Response third = seen(Api.refresh(second));
        third.then().statusCode(200);
        accessTokens.add(Api.accessToken(third));
        refreshTokens.add(Api.refreshCookie(third));
        seen(Api.refresh(first)).then().statusCode(401);
        seen(Api.refresh(Api.refreshCookie(third))).then().statusCode(401);
        seen(Api.me(Api.accessToken(third))).then().statusCode(401);

        // logout
        Response again = seen(Api.login(username, secondPassword));
        again.then().statusCode(200);
        accessTokens.add(Api.accessToken(again));
        String last = Api.refreshCookie(again);
        refreshTokens.add(last);
        seen(given().cookie(Api.COOKIE, last).delete("/refresh-token")).then().statusCode(204);
        seen(Api.refresh(last)).then().statusCode(401);

        Map<String, String> secrets = secrets(List.of(firstPassword, secondPassword, wrongPassword), accessTokens, refreshTokens, hashes);
        List<String> logLines = List.copyOf(capture.lines);
        assertThat(logLines).as("captured log records").isNotEmpty()
                .anyMatch(l -> l.contains("event=login outcome=ok")).anyMatch(l -> l.contains("event=refresh outcome=reused"))
                .anyMatch(l -> l.contains("event=password_change outcome=ok"))
                // the capture really ran below INFO: framework DEBUG/TRACE records, e.g. Hibernate's parameter binding
                .anyMatch(l -> l.startsWith("DEBUG") || l.startsWith("TRACE") || l.startsWith("FINE"))
                .anyMatch(l -> l.contains("binding parameter") && l.contains("[redacted]"));
        assertThat(errors).as("error answers seen").hasSizeGreaterThanOrEqualTo(8);
        List<String> leaks = new ArrayList<>();
        secrets.forEach((what, secret) -> {
            logLines.stream().filter(l -> l.contains(secret)).forEach(l -> leaks.add(what + " in log line: " + l));
            errors.stream().filter(r -> r.asString().contains(secret) || r.headers().toString().contains(secret))
                    .forEach(r -> leaks.add(what + " in error answer: " + r.statusCode() + " " + r.asString()));
        });
        assertThat(leaks).as("secrets leaked (out of %d log records, %d error answers)", logLines.size(), errors.size()).isEmpty();
    }

    private static Response changePassword(String access, String current, String next) {
        return given().auth().oauth2(access).contentType(ContentType.JSON)
                .body(Map.of("current_password", current, "new_password", next)).put("/me/password");
    }

    /** What must never be seen, named for the failure message. */
    private static Map<String, String> secrets(List<String> passwords, List<String> accessTokens, List<String> refreshTokens,
                                               List<String> hashes) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < passwords.size(); i++) {
            out.put("password #" + i, passwords.get(i));
        }
        for (int i = 0; i < accessTokens.size(); i++) {
            String token = accessTokens.get(i);
            out.put("access token #" + i, token);
            out.put("access token #" + i + " signature", token.substring(token.lastIndexOf('.') + 1));
        }
        for (int i = 0; i < refreshTokens.size(); i++) {
            String token = refreshTokens.get(i);
            assertThat(token).hasSize(114);
            out.put("refresh token #" + i, token);
            // Bytes 33..64 are the 256-bit secret; 33 is a multiple of 3, so its base64url starts at char 44.
            out.put("refresh token #" + i + " secret", token.substring(44, 86));
        }
        for (int i = 0; i < hashes.size(); i++) {
            String hash = hashes.get(i);
            out.put("password hash #" + i, hash);
            String[] parts = hash.split("\\$");
            out.put("password hash #" + i + " digest", parts[parts.length - 1]);
            out.put("password hash #" + i + " salt", parts[parts.length - 2]);
        }
        return out;
    }
}
