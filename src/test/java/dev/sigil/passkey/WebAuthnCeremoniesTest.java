package dev.sigil.passkey;

import dev.sigil.config.RelyingParty;
import dev.sigil.id.Origin;
import dev.sigil.support.SoftAuthenticator;
import dev.sigil.support.UnitTest;
import dev.sigil.token.Authentication;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ceremony rules on webauthn4j, without a server or a browser: a software authenticator answers. */
@UnitTest
class WebAuthnCeremoniesTest {

    private static final String ORIGIN = "https://auth.example.com";
    private final WebAuthnCeremonies ceremonies = new WebAuthnCeremonies(
            new RelyingParty("example.com", "Sigil", Set.of(Origin.parse(ORIGIN), Origin.parse("https://app.example.com"))), Duration.ofMinutes(3));
    private final UUID user = UUID.randomUUID();

    private record Registered(SoftAuthenticator authenticator, StoredPasskey stored) {
    }

    private Registered register() {
        SoftAuthenticator a = new SoftAuthenticator("example.com", ORIGIN);
        byte[] challenge = WebAuthnCeremonies.newChallenge();
        Map<String, Object> options = ceremonies.creationOptions(user, "alice", challenge, List.of());
        @SuppressWarnings("unchecked") String userId = (String) ((Map<String, Object>) options.get("user")).get("id");
        var c = ceremonies.verifyRegistration(SoftAuthenticator.json(a.register(WebAuthnCeremonies.b64(challenge), userId)), challenge);
        return new Registered(a, new StoredPasskey(UUID.randomUUID(), user, c.credentialId(), c.publicKey(), c.aaguid(), c.signCount(),
                List.copyOf(c.transports()), c.backupEligible(), c.backupState(), c.userVerified(), "p", Instant.now(), null));
    }

    private WebAuthnCeremonies.Assertion verify(Registered r, Map<String, Object> credential, byte[] challenge, boolean uvRequired) {
        return ceremonies.verifyAssertion(ceremonies.parseAssertion(SoftAuthenticator.json(credential)), challenge, r.stored(), uvRequired);
    }

    @Test
    void creationOptionsAskForADiscoverableCredentialWithoutAttestation() {
        Map<String, Object> o = ceremonies.creationOptions(user, "alice", new byte[32], List.of());
        assertThat(o.get("attestation")).isEqualTo("none");
        assertThat(o.get("rp")).isEqualTo(Map.of("id", "example.com", "name", "Sigil"));
        assertThat(o.get("authenticatorSelection").toString()).contains("residentKey=required");
        assertThat(WebAuthnCeremonies.user(WebAuthnCeremonies.userHandle(user))).isEqualTo(user);
    }

    @Test
    void registrationStoresTheKeyAndTheFlags() {
        Registered r = register();
        assertThat(r.stored().credentialId()).isEqualTo(r.authenticator().credentialId);
        assertThat(r.stored().uvInitialized()).isTrue();
        assertThat(r.stored().transports()).containsExactly("internal");
    }

    @Test
    void registrationWithAnotherChallengeOrOriginIsRejected() {
        SoftAuthenticator a = new SoftAuthenticator("example.com", ORIGIN);
        byte[] challenge = WebAuthnCeremonies.newChallenge();
        String handle = WebAuthnCeremonies.b64(WebAuthnCeremonies.userHandle(user));
        String other = WebAuthnCeremonies.b64(WebAuthnCeremonies.newChallenge());
        assertThatThrownBy(() -> ceremonies.verifyRegistration(SoftAuthenticator.json(a.register(other, handle)), challenge))
                .isInstanceOf(WebAuthnCeremonies.Rejected.class);
        a.origin = "https://evil.example.net";
        assertThatThrownBy(() -> ceremonies.verifyRegistration(SoftAuthenticator.json(a.register(WebAuthnCeremonies.b64(challenge), handle)), challenge))
                .isInstanceOf(WebAuthnCeremonies.Rejected.class);
        assertThatThrownBy(() -> ceremonies.verifyRegistration("{\"id\": 1}", challenge)).isInstanceOf(WebAuthnCeremonies.Rejected.class);
    }

    @Test
    void assertionVerifiesAndReportsUserVerification() {
        Registered r = register();
        byte[] challenge = WebAuthnCeremonies.newChallenge();
        var a = verify(r, r.authenticator().assertion(WebAuthnCeremonies.b64(challenge)), challenge, true);
        assertThat(a.userVerified()).isTrue();
        assertThat(a.signCount()).isEqualTo(1);
        assertThat(Authentication.passkey(a.backupEligible(), a.userVerified())).containsExactly("hwk", "user");
    }

    @Test
    void assertionFromAnotherOriginOfTheSameSiteIsAllowedOnlyWhenConfigured() {
        Registered r = register();
        byte[] challenge = WebAuthnCeremonies.newChallenge();
        r.authenticator().origin = "https://app.example.com";
        assertThat(verify(r, r.authenticator().assertion(WebAuthnCeremonies.b64(challenge)), challenge, true).signCount()).isEqualTo(1);
        r.authenticator().origin = "https://other.example.com";
        assertThatThrownBy(() -> verify(r, r.authenticator().assertion(WebAuthnCeremonies.b64(challenge)), challenge, true))
                .isInstanceOf(WebAuthnCeremonies.Rejected.class).matches(e -> !((WebAuthnCeremonies.Rejected) e).clone);
    }

    @Test
    void aBadSignatureIsRejected() {
        Registered r = register();
        r.authenticator().signWith = SoftAuthenticator.newKey();
        byte[] challenge = WebAuthnCeremonies.newChallenge();
        assertThatThrownBy(() -> verify(r, r.authenticator().assertion(WebAuthnCeremonies.b64(challenge)), challenge, false))
                .isInstanceOf(WebAuthnCeremonies.Rejected.class);
    }

    @Test
    void userVerificationIsRequiredOnlyWhereAsked() {
        Registered r = register();
        r.authenticator().userVerified = false;
        byte[] challenge = WebAuthnCeremonies.newChallenge();
        assertThatThrownBy(() -> verify(r, r.authenticator().assertion(WebAuthnCeremonies.b64(challenge)), challenge, true))
                .isInstanceOf(WebAuthnCeremonies.Rejected.class);
        var a = verify(r, r.authenticator().assertion(WebAuthnCeremonies.b64(challenge)), challenge, false);
        assertThat(Authentication.passkey(a.backupEligible(), a.userVerified())).containsExactly("hwk");
    }

    @Test
    void userPresenceIsAlwaysRequired() {
        Registered r = register();
        r.authenticator().userPresent = false;
        byte[] challenge = WebAuthnCeremonies.newChallenge();
        assertThatThrownBy(() -> verify(r, r.authenticator().assertion(WebAuthnCeremonies.b64(challenge)), challenge, false))
                .isInstanceOf(WebAuthnCeremonies.Rejected.class);
    }

    @Test
    void aCounterThatDoesNotAdvanceIsAPossibleClone() {
        Registered r = register();
        r.authenticator().counter = 5;
        StoredPasskey seen = new StoredPasskey(r.stored().id(), user, r.stored().credentialId(), r.stored().publicKey(), r.stored().aaguid(),
                7, r.stored().transports(), false, false, true, "p", Instant.now(), null);
        byte[] challenge = WebAuthnCeremonies.newChallenge();
        var parsed = ceremonies.parseAssertion(SoftAuthenticator.json(r.authenticator().assertion(WebAuthnCeremonies.b64(challenge))));
        assertThatThrownBy(() -> ceremonies.verifyAssertion(parsed, challenge, seen, true))
                .isInstanceOf(WebAuthnCeremonies.Rejected.class).matches(e -> ((WebAuthnCeremonies.Rejected) e).clone);
    }

    @Test
    void aChangedBackupEligibleFlagIsTolerated() {
        Registered r = register();
        r.authenticator().backupEligible = true;
        r.authenticator().backupState = true;
        byte[] challenge = WebAuthnCeremonies.newChallenge();
        var a = verify(r, r.authenticator().assertion(WebAuthnCeremonies.b64(challenge)), challenge, true);
        assertThat(a.backupEligible()).isTrue();
        assertThat(Authentication.passkey(a.backupEligible(), a.userVerified())).containsExactly("swk", "user");
    }

    @Test
    void anAssertionForAnotherChallengeIsRejected() {
        Registered r = register();
        byte[] challenge = WebAuthnCeremonies.newChallenge();
        assertThatThrownBy(() -> verify(r, r.authenticator().assertion(WebAuthnCeremonies.b64(WebAuthnCeremonies.newChallenge())), challenge, false))
                .isInstanceOf(WebAuthnCeremonies.Rejected.class);
        assertThatThrownBy(() -> ceremonies.parseAssertion("not json")).isInstanceOf(WebAuthnCeremonies.Rejected.class);
    }

    @Test
    void factorsFollowRfc8176AndCountPasskeysRight() {
        assertThat(Authentication.multiFactor(List.of("hwk", "user"))).isTrue();
        assertThat(Authentication.multiFactor(List.of("swk"))).isFalse();
        assertThat(Authentication.multiFactor(List.of("pwd", "hwk"))).isTrue();
        assertThat(Authentication.multiFactor(List.of("pwd"))).isFalse();
        assertThat(Authentication.combined(List.of("pwd"), List.of("swk", "user"))).containsExactly("pwd", "swk", "user");
        assertThat(Authentication.stored("hwk user", 1).methods()).containsExactly("hwk", "user");
        assertThat(Authentication.stored("user hwk", 1).methods()).containsExactly("pwd");
        assertThat(Authentication.stored("pwd bogus", 1).methods()).containsExactly("pwd");
    }
}
