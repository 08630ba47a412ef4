package dev.sigil.web;

import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client address behind a trusted proxy (the test profile trusts 127.0.0.1): Quarkus takes the
 * leftmost X-Forwarded-For entry, and Sigil turns it into a canonical IP address before it names a
 * rate-limit key or is stored with a session. Anything that is not an IP address is "unknown".
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class ForwardedAddressTest {

    private static Response loginFrom(TestUser user, String forwardedFor) {
        return given().header("X-Forwarded-For", forwardedFor).contentType(ContentType.JSON)
                .body(Map.of("username", user.username(), "password", user.password())).post("/login");
    }

    private static String sessionAddress(Response login) {
        return given().auth().oauth2(Api.accessToken(login)).get("/sessions").then().statusCode(200)
                .extract().jsonPath().getString("find { it.current }.clientAddress");
    }

    private static boolean exists(String key) {
        return ((Number) TestRedis.call("EXISTS", key)).longValue() == 1;
    }

    private static int octet() {
        return ThreadLocalRandom.current().nextInt(1, 255);
    }

    @Test
    void theLeftmostForwardedForEntryFromATrustedProxyIsTheClientAddress() {
        String client = "198.18." + octet() + "." + octet();
        Response login = loginFrom(TestUsers.create(), client + ", 198.51.100.9");
        login.then().statusCode(200);
        assertThat(sessionAddress(login)).isEqualTo(client);
        assertThat(exists("sigil:rl:addr:{" + client + "}")).isTrue();
    }

    @Test
    void anIpv6AddressIsStoredInItsCanonicalFormAndLimitedByItsSlash64() {
        String hex = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0xffff));
        String written = "2001:DB8:" + hex.toUpperCase() + ":0:0:0:0:1";
        String canonical = "2001:db8:" + hex + "::1";
        Response login = loginFrom(TestUsers.create(), written);
        login.then().statusCode(200);
        assertThat(sessionAddress(login)).isEqualTo(canonical); // the session keeps the full address
        // The per-address limit keys on the address's /64 (see CallerAddress#throttleForm).
        assertThat(exists("sigil:rl:addr:{2001:db8:" + hex + "::/64}")).isTrue();
        assertThat(exists("sigil:rl:addr:{" + canonical + "}")).isFalse();
        assertThat(exists("sigil:rl:addr:{" + written + "}")).isFalse();
    }

    @Test
    void anIpv4MappedIpv6AddressIsTheIpv4Address() {
        String v4 = "198.18." + octet() + "." + octet();
        Response login = loginFrom(TestUsers.create(), "::ffff:" + v4);
        login.then().statusCode(200);
        assertThat(sessionAddress(login)).isEqualTo(v4);
    }

    @Test
    void aForwardedValueThatIsNotAnIpAddressNeverBecomesPartOfARedisKey() {
        String hostile = "}x" + octet() + "{*:fail";
        Response login = loginFrom(TestUsers.create(), hostile);
        login.then().statusCode(200);
        assertThat(sessionAddress(login)).isEqualTo("unknown");
        assertThat(exists("sigil:rl:addr:{" + hostile + "}")).isFalse();
    }
}
