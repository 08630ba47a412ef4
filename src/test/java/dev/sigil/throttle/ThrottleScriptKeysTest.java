package dev.sigil.throttle;

import dev.sigil.support.UnitTest;
import dev.sigil.client.ClientTokenStore;
import dev.sigil.id.ClientId;
import dev.sigil.id.UserId;
import dev.sigil.support.LuaKeyShapes;
import dev.sigil.web.CallerAddress;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The KEYS Throttle (and the client token store) pass to each throttle script are the keys its header documents. */
@UnitTest
class ThrottleScriptKeysTest {

    private final ClientId client = ClientId.parse("orders-svc");
    private final CallerAddress address = CallerAddress.parse("203.0.113.9");
    private final Map<String, String> samples = LuaKeyShapes.samples("orders-svc", "<client>", "203.0.113.9", "<address>",
            "NAMETAG", "<name>", "7d3f9a52-5c1e-4e43-9f7a-2b1c0e8d4a61", "<user>");

    @Test
    void loginReserveAndSettle() {
        LuaKeyShapes.assertKeysMatch("login-reserve", samples, ThrottleKeys.checks("NAMETAG", address));
        LuaKeyShapes.assertKeysMatch("login-settle", samples, ThrottleKeys.checks("NAMETAG", address));
    }

    @Test
    void rateAttemptForItsFourCounters() {
        LuaKeyShapes.assertKeysMatch("rate-attempt", samples, ThrottleKeys.addressAttempts(address),
                ThrottleKeys.clientAddressFailures(address), ThrottleKeys.recoveryAttempts(address),
                ThrottleKeys.accountMails(UserId.of(UUID.fromString("7d3f9a52-5c1e-4e43-9f7a-2b1c0e8d4a61"))));
    }

    @Test
    void clientScripts() {
        String version = ClientTokenStore.versionKey(client);
        LuaKeyShapes.assertKeysMatch("client-check", samples, ClientTokenStore.checkKeys(client, address));
        LuaKeyShapes.assertKeysMatch("client-failed", samples, List.of(ThrottleKeys.clientFailures(client, address)));
        LuaKeyShapes.assertKeysMatch("client-version-change", samples, List.of(version));
    }
}
