package dev.sigil.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One restart for the tests that need account rules the default profile cannot give: an admin role
 * of their own (so "the last enabled admin" is decided among users this run created), a small session
 * cap, a login that can be paused between reading the user and creating the session, and second-factor
 * enrolment by admin-issued tickets only.
 */
public class AccountRulesProfile implements QuarkusTestProfile {

    /** Unique per run: earlier runs' users never hold it. */
    public static final String ADMIN_ROLE = "steward-" + UUID.randomUUID().toString().substring(0, 8);
    public static final int MAX_SESSIONS = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("sigil.admin-role", ADMIN_ROLE, "sigil.sessions.max-per-user", Integer.toString(MAX_SESSIONS),
                "sigil.mfa.enrolment-ticket-required", "true");
    }

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(PausingSessionWriteHook.class);
    }
}
