package dev.sigil.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The settings that only switch a feature on or off, flipped together in one profile, so that their HTTP smoke
 * tests (RegistrationDisabledTest, MfaDisabledTest, DemoPageTest, RefreshInBodyTest, StrictRotationTest) share
 * one Sigil boot instead of one each. They do not interact: each test checks its own switch, and none of them
 * relies on another switch's default.
 */
public class FlippedSwitches implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "sigil.registration.enabled", "false",
                "sigil.mfa.enabled", "false",
                "sigil.web.demo.enabled", "true",
                "sigil.tokens.refresh-in-body", "true",
                "sigil.tokens.grace", "PT0S");
    }
}
