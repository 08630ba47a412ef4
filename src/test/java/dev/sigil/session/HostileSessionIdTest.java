package dev.sigil.session;

import dev.sigil.support.Api;
import dev.sigil.support.AuditLines;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers.TestUser;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * DELETE /sessions/{id} with ids an attacker would try. The id was once concatenated into Redis key
 * names, so {@code <sid>:old} deleted the session's reuse-detection set. Every hostile id must be a
 * 404 that leaves every key of the user exactly as it was.
 */
@QuarkusTest
@TestProfile(HostileSessionIdTest.LongGrace.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class HostileSessionIdTest {

    /** A grace period far longer than a test run, so the successor key cannot expire between two snapshots. */
    public static class LongGrace implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sigil.tokens.grace", "PT30M");
        }
    }

    /** A session rotated twice, so it has every kind of key: hash, retired set, sealed successor, index entry. */
    record Victim(TestUser user, String sid, String accessToken, String first, String current) {
    }

    @RegisterExtension
    final AuditLines auditLines = new AuditLines();
    private final List<String> audit = auditLines.lines();

    static Victim victim() {
        TestUser user = TestUsers.create();
        String first = Api.refreshCookie(Api.loggedIn(user));
        Response second = Api.refresh(first);
        second.then().statusCode(200);
        Response third = Api.refresh(Api.refreshCookie(second));
        third.then().statusCode(200);
        String sid = RefreshTokens.sidOf(third);
        String p = TestRedis.prefix(user.id());
        assertThat(TestRedis.keysOf(user.id()))
                .contains(p + "s:" + sid, p + "sessions");
        assertThat(TestRedis.session(p + "s:" + sid)).containsKey("nx"); // the sealed successor, for the grace period
        return new Victim(user, sid, Api.accessToken(third), first, Api.refreshCookie(third));
    }

    /** Every key of the user with its type and content (TTLs aside, which move on their own). */
    static Map<String, Object> snapshot(UUID user) {
        Map<String, Object> out = new TreeMap<>();
        for (String key : TestRedis.keysOf(user)) {
            String type = (String) TestRedis.call("TYPE", key);
            Object value = switch (type) {
                case "hash" -> TestRedis.hash(key);
                case "set" -> new TreeSet<>(strings(TestRedis.call("SMEMBERS", key)));
                case "zset" -> TestRedis.call("ZRANGE", key, "0", "-1", "WITHSCORES");
                default -> TestRedis.call("GET", key);
            };
            out.put(key + " (" + type + ")", value);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(Object reply) {
        return (List<String>) reply;
    }

    private static Response delete(String accessToken, String encodedId) {
        return given().urlEncodingEnabled(false).auth().oauth2(accessToken).delete("/sessions/" + encodedId);
    }

    /** The same 16 bytes with a different last character: only the 4 unused low bits differ. */
    static String nonCanonical(String sid) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(sid.charAt(sid.length() - 1));
        return sid.substring(0, sid.length() - 1) + alphabet.charAt(last | 1);
    }

    /** Path segments as sent on the wire (already percent-encoded where a client must encode). */
    static Stream<Arguments> hostileIds() {
        return Stream.of(
                arguments("retired-set suffix <sid>:old", (Function<Victim, String>) v -> v.sid() + ":old"),
                arguments("successor suffix <sid>:next", (Function<Victim, String>) v -> v.sid() + ":next"),
                arguments("closing brace <sid>}", (Function<Victim, String>) v -> v.sid() + "%7D"),
                arguments("hash tag {<uid>}", (Function<Victim, String>) v -> "%7B" + v.user().id() + "%7D"),
                arguments("hash tag with key path {<uid>}:s:<sid>", (Function<Victim, String>) v -> "%7B" + v.user().id() + "%7D:s:" + v.sid()),
                arguments("wildcard *", (Function<Victim, String>) v -> "*"),
                arguments("wildcard <sid>*", (Function<Victim, String>) v -> v.sid() + "*"),
                arguments("wildcard ?", (Function<Victim, String>) v -> "%3F"),
                arguments("character class [a]", (Function<Victim, String>) v -> "%5Ba%5D"),
                arguments("encoded NUL", (Function<Victim, String>) v -> "%00"),
                arguments("sid with encoded NUL", (Function<Victim, String>) v -> v.sid() + "%00"),
                arguments("encoded slash", (Function<Victim, String>) v -> "%2F"),
                arguments("sid with encoded slash", (Function<Victim, String>) v -> v.sid() + "%2Fold"),
                arguments("oversize within the request-line limit", (Function<Victim, String>) v -> "A".repeat(3000)),
                arguments("upper-cased sid", (Function<Victim, String>) v -> v.sid().toUpperCase(java.util.Locale.ROOT)),
                arguments("lower-cased sid", (Function<Victim, String>) v -> v.sid().toLowerCase(java.util.Locale.ROOT)),
                arguments("padded sid <sid>==", (Function<Victim, String>) v -> v.sid() + "%3D%3D"),
                arguments("same bytes, non-zero unused bits", (Function<Victim, String>) v -> nonCanonical(v.sid())),
                arguments("sid with a trailing space", (Function<Victim, String>) v -> v.sid() + "%20"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileIds")
    void aHostileSessionIdIsNotFoundAndChangesNothing(String name, Function<Victim, String> id) {
        Victim v = victim();
        String segment = id.apply(v);
        // Guard against a case that is accidentally the real id (an all-digit sid has no case to change).
        assertThat(segment).as(name).isNotEqualTo(v.sid());
        Map<String, Object> before = snapshot(v.user().id());

        Response r = delete(v.accessToken(), segment);

        assertThat(r.statusCode()).as(name + " (body %s)", r.asString()).isEqualTo(404);
        assertThat(snapshot(v.user().id())).as(name).isEqualTo(before);
        Api.me(v.accessToken()).then().statusCode(200);
    }

    @Test
    void anEightKibSessionIdIsRefusedAndChangesNothing() {
        Victim v = victim();
        Map<String, Object> before = snapshot(v.user().id());

        Response r = delete(v.accessToken(), v.sid() + ":" + "A".repeat(8 * 1024));

        // The HTTP layer refuses a request line over its limit (4 KiB) before any code of Sigil runs.
        assertThat(r.statusCode()).as("body %s", r.asString()).isEqualTo(414);
        assertThat(snapshot(v.user().id())).isEqualTo(before);
    }

    @Test
    void anotherUsersValidSessionIdIsNotFoundAndTouchesNeitherUser() {
        Victim mine = victim();
        Victim theirs = victim();
        Map<String, Object> myKeys = snapshot(mine.user().id());
        Map<String, Object> theirKeys = snapshot(theirs.user().id());

        delete(mine.accessToken(), theirs.sid()).then().statusCode(404).body("code", equalTo("not_found"));

        assertThat(snapshot(mine.user().id())).isEqualTo(myKeys);
        assertThat(snapshot(theirs.user().id())).isEqualTo(theirKeys);
    }

    @Test
    void aThiefCannotEraseReuseDetectionThroughTheSessionsApi() {
        // The victim logs in (first); the thief, holding it, rotates twice and gets the newest access token.
        Victim v = victim();

        delete(v.accessToken(), v.sid() + ":old").then().statusCode(404).body("code", equalTo("not_found"));

        Api.refresh(v.first()).then().statusCode(401).body("code", equalTo("refresh_token_reused"));
        Api.refresh(v.current()).then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
        assertThat(audit).anySatisfy(line -> assertThat(line)
                .startsWith("event=refresh outcome=reused").contains("sid=" + v.sid()).contains("suspected=theft"));
    }

    @Test
    void theOwnSessionIdStillRevokes() {
        Victim v = victim();

        delete(v.accessToken(), v.sid()).then().statusCode(204);

        assertThat(TestRedis.keysOf(v.user().id())).noneMatch(k -> k.contains(":s:" + v.sid()));
        Api.refresh(v.current()).then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
    }
}
