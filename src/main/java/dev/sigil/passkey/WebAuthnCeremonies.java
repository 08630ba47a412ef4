package dev.sigil.passkey;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticationData;
import com.webauthn4j.data.AuthenticationParameters;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.RegistrationData;
import com.webauthn4j.data.RegistrationParameters;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import com.webauthn4j.verifier.exception.MaliciousCounterValueException;
import dev.sigil.config.RelyingParty;
import dev.sigil.id.Origin;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The WebAuthn rules without I/O, on webauthn4j: the options of each ceremony (WebAuthn Level 3 JSON forms,
 * ready for {@code PublicKeyCredential.parseCreationOptionsFromJSON}) and the verification of what the browser
 * answers. webauthn4j checks type, challenge, origin, rp id hash, flags (UP, UV when required), the
 * algorithm, the signature and the counter; this class decides which of them a ceremony requires.
 * Attestation is {@code none}: Sigil trusts the user's account, not the make of the authenticator.
 */
public final class WebAuthnCeremonies {

    /** ES256 (every platform authenticator), EdDSA, RS256 (Windows Hello): the order is the preference. */
    static final List<COSEAlgorithmIdentifier> ALGORITHMS = List.of(COSEAlgorithmIdentifier.ES256,
            COSEAlgorithmIdentifier.EdDSA, COSEAlgorithmIdentifier.RS256);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** A ceremony failed: {@code clone} when the sign counter went backwards (a possible cloned authenticator). */
    public static final class Rejected extends RuntimeException {
        public final boolean clone;

        Rejected(String reason, boolean clone) {
            super(reason, null, false, false);
            this.clone = clone;
        }
    }

    /** A verified new credential, ready to store. */
    public record NewCredential(byte[] credentialId, byte[] publicKey, UUID aaguid, long signCount, Set<String> transports,
                                boolean backupEligible, boolean backupState, boolean userVerified) {
    }

    /** A verified assertion: the flags and counter to record. */
    public record Assertion(long signCount, boolean userVerified, boolean backupEligible, boolean backupState) {
    }

    private final ObjectConverter converter = new ObjectConverter();
    private final WebAuthnManager manager = WebAuthnManager.createNonStrictWebAuthnManager(converter);
    private final RelyingParty rp;
    private final Set<com.webauthn4j.data.client.Origin> origins;
    private final Duration timeout;

    public WebAuthnCeremonies(RelyingParty rp, Duration timeout) {
        this.rp = rp;
        this.timeout = timeout;
        this.origins = rp.origins().stream().map(o -> new com.webauthn4j.data.client.Origin(o.toString())).collect(Collectors.toSet());
    }

    public static byte[] newChallenge() {
        byte[] c = new byte[32];
        RANDOM.nextBytes(c);
        return c;
    }

    /** The credential id an assertion or attestation names, from its JSON (null when there is none). */
    public static String b64(byte[] bytes) {
        return B64.encodeToString(bytes);
    }

    /**
     * {@code PublicKeyCredentialCreationOptionsJSON}: a discoverable credential (a passkey), user verification
     * preferred (a security key without a PIN is still a second factor), attestation none, the user's existing
     * credentials excluded. The user handle is the user id's 16 bytes: stable, and no personal data.
     */
    public Map<String, Object> creationOptions(UUID user, String username, byte[] challenge, List<Existing> existing) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("rp", Map.of("id", rp.id(), "name", rp.name()));
        o.put("user", Map.of("id", b64(userHandle(user)), "name", username, "displayName", username));
        o.put("challenge", b64(challenge));
        o.put("pubKeyCredParams", ALGORITHMS.stream().map(a -> Map.of("type", "public-key", "alg", a.getValue())).toList());
        o.put("timeout", timeout.toMillis());
        o.put("excludeCredentials", descriptors(existing));
        o.put("authenticatorSelection", Map.of("residentKey", "required", "requireResidentKey", true, "userVerification", "preferred"));
        o.put("attestation", "none");
        o.put("extensions", Map.of("credProps", true));
        return o;
    }

    /**
     * {@code PublicKeyCredentialRequestOptionsJSON}. {@code allowed} empty: any discoverable credential of the rp
     * (passwordless sign-in, conditional UI).
     */
    public Map<String, Object> requestOptions(byte[] challenge, List<Existing> allowed, boolean userVerificationRequired) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("challenge", b64(challenge));
        o.put("timeout", timeout.toMillis());
        o.put("rpId", rp.id());
        o.put("allowCredentials", descriptors(allowed));
        o.put("userVerification", userVerificationRequired ? "required" : "preferred");
        return o;
    }

    /** A credential the user already has, as options name it. */
    public record Existing(byte[] credentialId, List<String> transports) {
    }

    private static List<Map<String, Object>> descriptors(List<Existing> credentials) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Existing e : credentials) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("type", "public-key");
            d.put("id", b64(e.credentialId()));
            if (!e.transports().isEmpty()) {
                d.put("transports", e.transports());
            }
            list.add(d);
        }
        return list;
    }

    /** The 16 bytes of a user id: the WebAuthn user handle. */
    public static byte[] userHandle(UUID user) {
        return ByteBuffer.allocate(16).putLong(user.getMostSignificantBits()).putLong(user.getLeastSignificantBits()).array();
    }

    /** The user id of a user handle; null for anything but 16 bytes. */
    public static UUID user(byte[] handle) {
        if (handle == null || handle.length != 16) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(handle);
        return new UUID(b.getLong(), b.getLong());
    }

    /** Verifies a {@code RegistrationResponseJSON} against the ceremony's {@code challenge}. */
    public NewCredential verifyRegistration(String responseJson, byte[] challenge) {
        try {
            RegistrationData data = manager.parseRegistrationResponseJSON(responseJson);
            manager.verify(data, new RegistrationParameters(server(challenge), ALGORITHMS.stream()
                    .map(a -> new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, a)).toList(), false, true));
            AuthenticatorData<?> auth = data.getAttestationObject().getAuthenticatorData();
            AttestedCredentialData credential = auth.getAttestedCredentialData();
            Set<String> transports = data.getTransports() == null ? Set.of()
                    : data.getTransports().stream().map(AuthenticatorTransport::getValue).collect(Collectors.toSet());
            return new NewCredential(credential.getCredentialId(), converter.getCborConverter().writeValueAsBytes(credential.getCOSEKey()),
                    credential.getAaguid().getValue(), auth.getSignCount(), transports, auth.isFlagBE(), auth.isFlagBS(), auth.isFlagUV());
        } catch (RuntimeException e) { // webauthn4j's and Jackson's exceptions, and whatever malformed input provokes
            throw new Rejected(e.getClass().getSimpleName(), false);
        }
    }

    /** The parts of an assertion needed to find its credential before verifying it. */
    public record Parsed(AuthenticationData data) {
        public byte[] credentialId() {
            return data.getCredentialId();
        }

        public byte[] userHandle() {
            return data.getUserHandle();
        }
    }

    /** Parses an {@code AuthenticationResponseJSON}; rejected when it is malformed. */
    public Parsed parseAssertion(String responseJson) {
        try {
            AuthenticationData data = manager.parseAuthenticationResponseJSON(responseJson);
            if (data.getCredentialId() == null || data.getAuthenticatorData() == null) {
                throw new Rejected("incomplete", false);
            }
            return new Parsed(data);
        } catch (Rejected e) {
            throw e;
        } catch (RuntimeException e) { // webauthn4j's and Jackson's exceptions, and whatever malformed input provokes
            throw new Rejected(e.getClass().getSimpleName(), false);
        }
    }

    /**
     * Verifies a parsed assertion against the stored credential. A changed backup-eligible flag is accepted (the
     * record is checked with the flag the authenticator now reports; iCloud changed it, supabase/auth#2732) and
     * reported in the result; a counter that did not grow (when either side counts) is a possible clone.
     */
    public Assertion verifyAssertion(Parsed parsed, byte[] challenge, StoredPasskey stored, boolean userVerificationRequired) {
        AuthenticatorData<?> auth = parsed.data().getAuthenticatorData();
        try {
            COSEKey key = converter.getCborConverter().readValue(stored.publicKey(), COSEKey.class);
            var record = new CredentialRecordImpl(new NoneAttestationStatement(), stored.uvInitialized(), auth.isFlagBE(),
                    stored.backupState(), stored.signCount(), new AttestedCredentialData(new AAGUID(stored.aaguid()), stored.credentialId(), key),
                    null, null, null, stored.transports().stream().map(AuthenticatorTransport::create).collect(Collectors.toSet()));
            manager.verify(parsed.data(), new AuthenticationParameters(server(challenge), record, List.of(stored.credentialId()),
                    userVerificationRequired, true));
        } catch (MaliciousCounterValueException e) {
            throw new Rejected("counter", true);
        } catch (RuntimeException e) { // webauthn4j's and Jackson's exceptions, and whatever malformed input provokes
            throw new Rejected(e.getClass().getSimpleName(), false);
        }
        return new Assertion(auth.getSignCount(), auth.isFlagUV(), auth.isFlagBE(), auth.isFlagBS());
    }

    private ServerProperty server(byte[] challenge) {
        return new ServerProperty(origins, rp.id(), new DefaultChallenge(challenge));
    }

    /** Whether {@code origin} may run ceremonies (for tests and docs: the configured set). */
    boolean allows(Origin origin) {
        return rp.origins().contains(origin);
    }
}
