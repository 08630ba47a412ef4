package dev.sigil.user;

import dev.sigil.support.UnitTest;
import dev.sigil.id.UserId;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one snapshot of a user: its stored JSON and its immutability, without Quarkus. */
@UnitTest
class UserSnapshotTest {

    private static final UserId ID = UserId.of(UUID.fromString("0b6f1c7e-5a0e-4c1b-9d43-3f1f2f3a4b5c"));

    private static UserSnapshot alice(Map<String, Object> claims) {
        return new UserSnapshot(ID, "alice", "alice@example.com", true, List.of("user", "ops"), claims,
                Instant.parse("2026-11-30T10:15:30.123456Z"));
    }

    @Test
    void aSnapshotReadBackFromItsJsonIsTheSameUser() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("tenant", "acme");
        claims.put("level", 3);
        claims.put("org", Map.of("tags", List.of("x", "y")));
        UserSnapshot s = alice(claims);

        assertThat(UserSnapshot.fromJson(ID, s.toJson())).isEqualTo(s);
    }

    @Test
    void theJsonLeavesTheIdToTheKeyAndAnAbsentEmailOut() {
        UserSnapshot s = new UserSnapshot(ID, "bob", null, false, List.of(), Map.of(), Instant.EPOCH);

        String json = s.toJson();

        assertThat(json).doesNotContain(ID.toString()).doesNotContain("\"e\"").contains("\"n\":\"bob\"");
        assertThat(UserSnapshot.fromJson(ID, json)).isEqualTo(s);
    }

    @Test
    void theIdComesFromTheCallerNotFromTheJson() {
        UserId other = UserId.of(UUID.randomUUID());

        assertThat(UserSnapshot.fromJson(other, alice(Map.of()).toJson()).id()).isEqualTo(other);
    }

    @Test
    void anUnreadableValueIsRefusedAsABugNeverReadAsAUser() {
        assertThatThrownBy(() -> UserSnapshot.fromJson(ID, "{\"n\":")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(ID.toString());
        assertThatThrownBy(() -> UserSnapshot.fromJson(ID, "{\"n\":\"a\",\"x\":1}")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void changingWhatItWasMadeFromDoesNotChangeIt() {
        List<String> roles = new ArrayList<>(List.of("user"));
        Map<String, Object> claims = new LinkedHashMap<>(Map.of("tenant", "acme"));
        UserSnapshot s = new UserSnapshot(ID, "alice", null, false, roles, claims, Instant.EPOCH);

        roles.add("admin");
        claims.put("tenant", "evil");

        assertThat(s.roles()).containsExactly("user");
        assertThat(s.claims()).containsExactly(Map.entry("tenant", "acme"));
        assertThatThrownBy(() -> s.roles().add("admin")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> s.claims().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void claimsKeepTheOrderTheyWereReadIn() {
        Map<String, Object> claims = new LinkedHashMap<>();
        for (String name : List.of("zeta", "alpha", "mid", "beta", "omega")) {
            claims.put(name, name);
        }

        assertThat(alice(claims).claims().keySet()).containsExactly("zeta", "alpha", "mid", "beta", "omega");
    }

    @Test
    void withRolesChangesOnlyTheRoles() {
        UserSnapshot s = alice(Map.of("tenant", "acme"));

        UserSnapshot fewer = s.withRoles(List.of("user"));

        assertThat(fewer.roles()).containsExactly("user");
        assertThat(fewer).isEqualTo(new UserSnapshot(s.id(), s.username(), s.email(), s.emailVerified(), List.of("user"), s.claims(),
                s.passwordChangedAt()));
    }

    @Test
    void itsStringNamesTheUserOnly() {
        assertThat(alice(Map.of("secret", "x")).toString()).isEqualTo("UserSnapshot[id=" + ID + "]");
    }
}
