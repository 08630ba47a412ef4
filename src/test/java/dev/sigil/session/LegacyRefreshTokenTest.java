package dev.sigil.session;

import dev.sigil.support.Api;
import dev.sigil.support.SetCookie;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Sessions started before version 2 refresh tokens, as the earlier code left them in Redis (no stored subject,
 * a retired set): their version 1 token still rotates (into a version 2 token), and their retired tokens are
 * still recognised as reuse.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class LegacyRefreshTokenTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static String v1(UUID user, byte[] sid) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(ByteBuffer.allocate(65).put((byte) 1)
                .putLong(user.getMostSignificantBits()).putLong(user.getLeastSignificantBits()).put(sid).put(secret).array());
    }

    /** A session as session-create/rotate wrote it before: current v1 token, one retired v1 token; returns {current, retired}. */
    private static String[] legacySession(TestUser user) {
        byte[] sid = new byte[16];
        RANDOM.nextBytes(sid);
        String current = v1(user.id(), sid);
        String previous = v1(user.id(), sid);
        String retired = v1(user.id(), sid);
        String key = TestRedis.prefix(user.id()) + "s:" + RefreshTokens.sid(current);
        long now = System.currentTimeMillis();
        TestRedis.call("HSET", key, "cur", RefreshTokens.hash(current), "prev", RefreshTokens.hash(previous),
                "created", Long.toString(now), "last", Long.toString(now), "abs", Long.toString(now + 86_400_000L),
                "ip", "10.0.0.1", "ua", "old", "gen", "57");
        TestRedis.call("PEXPIRE", key, "3600000");
        TestRedis.call("SADD", key + ":old", RefreshTokens.hash(retired));
        TestRedis.call("PEXPIRE", key + ":old", "3600000");
        TestRedis.call("ZADD", TestRedis.prefix(user.id()) + "sessions", Long.toString(now), RefreshTokens.sid(current));
        return new String[] {current, retired};
    }

    @Test
    void aVersionOneTokenRotatesIntoAVersionTwoTokenAndItsPredecessorsStayReuse() throws Exception {
        TestUser user = TestUsers.create("reader");
        String[] legacy = legacySession(user);

        Response first = Api.refresh(legacy[0]);
        first.then().statusCode(200);
        String v2 = SetCookie.refreshCookie(first).value();
        assertThat(v2).hasSize(114);
        assertThat(RefreshTokens.claims(Api.accessToken(first)).getStringListClaim("groups")).containsExactly("reader");
        Response second = Api.refresh(v2);
        second.then().statusCode(200);
        Response third = Api.refresh(SetCookie.refreshCookie(second).value());
        third.then().statusCode(200);

        // The version 1 token, now two generations back, is reuse: the whole session ends.
        Api.refresh(legacy[0]).then().statusCode(401).body("code", equalTo("refresh_token_reused"));
        Api.refresh(SetCookie.refreshCookie(third).value()).then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
    }

    @Test
    void aTokenOfTheLegacyRetiredSetIsStillReuse() {
        TestUser user = TestUsers.create("reader");
        String[] legacy = legacySession(user);
        Response r = Api.refresh(legacy[0]);
        r.then().statusCode(200);
        Api.refresh(legacy[1]).then().statusCode(401).body("code", equalTo("refresh_token_reused"));
        Api.refresh(SetCookie.refreshCookie(r).value()).then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
    }
}
