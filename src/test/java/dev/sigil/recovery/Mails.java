package dev.sigil.recovery;

import dev.sigil.support.TestUsers;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;

/** Requests of the recovery tests, each from a client address of its own (X-Forwarded-For from the trusted proxy). */
final class Mails {

    private static final AtomicInteger NEXT = new AtomicInteger((int) (System.nanoTime() % 200));

    private Mails() {
    }

    /** A client address no other test uses in this run. */
    static String address() {
        int n = NEXT.incrementAndGet();
        return "10." + (n / 65536 % 256) + "." + (n / 256 % 256) + "." + (n % 256);
    }

    static Response requestReset(String email, String from) {
        return given().header("X-Forwarded-For", from).contentType(ContentType.JSON).body(Map.of("email", email)).post("/password-reset");
    }

    static Response confirm(String token, String password, String code, String from) {
        Map<String, String> body = code == null ? Map.of("token", token, "new_password", password)
                : Map.of("token", token, "new_password", password, "code", code);
        return given().header("X-Forwarded-For", from).contentType(ContentType.JSON).body(body).post("/password-reset/confirm");
    }

    static Response verify(String token) {
        return given().contentType(ContentType.JSON).body(Map.of("token", token)).post("/email/verify");
    }

    /** One statement on the test database (to age a token, say). */
    static int sql(String statement, Object... params) {
        try (Connection c = DriverManager.getConnection(TestUsers.jdbc(), "postgres", "");
             PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
