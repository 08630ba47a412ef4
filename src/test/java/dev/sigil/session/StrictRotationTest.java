package dev.sigil.session;

import dev.sigil.support.FlippedSwitches;
import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** {@code sigil.tokens.grace=PT0S}: strict rotation, where even the immediate predecessor is reuse. */
@QuarkusTest
@TestProfile(FlippedSwitches.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class StrictRotationTest {

    @Test
    void theImmediatePredecessorIsReuseAtOnceAndNoSuccessorIsKept() {
        TestUser user = TestUsers.create();
        String first = Api.refreshCookie(Api.loggedIn(user));
        Response winner = Api.refresh(first);
        winner.then().statusCode(200);
        String second = Api.refreshCookie(winner);
        String p = TestRedis.prefix(user.id());
        // Strict mode never stores a sealed successor, not even briefly.
        assertThat(TestRedis.keysOf(user.id())).containsExactlyInAnyOrder(p + "s:" + RefreshTokens.sidOf(winner), p + "sessions");
        assertThat(TestRedis.session(p + "s:" + RefreshTokens.sidOf(winner))).containsKey("cur").doesNotContainKey("nx");

        Api.refresh(first).then().statusCode(401).body("code", equalTo("refresh_token_reused"))
                .header("Set-Cookie", org.hamcrest.Matchers.containsString("Max-Age=0"));
        Api.refresh(second).then().statusCode(401).body("code", equalTo("invalid_refresh_token"));
        Api.me(Api.accessToken(winner)).then().statusCode(401).body("code", equalTo("invalid_token"));
    }
}
