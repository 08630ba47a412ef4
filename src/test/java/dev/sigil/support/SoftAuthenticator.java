package dev.sigil.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A software passkey authenticator for tests: an EC P-256 key, attestation "none", hand-built authenticator
 * data, and the WebAuthn Level 3 JSON forms a browser posts (credential.toJSON()). Every field is a knob
 * a negative test turns: the origin in clientDataJSON, the flags, the counter, the key that signs.
 */
public final class SoftAuthenticator {

    public static final int UP = 0x01, UV = 0x04, BE = 0x08, BS = 0x10, AT = 0x40;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final ObjectMapper JSON = new ObjectMapper();

    public final String rpId;
    public String origin;
    public final KeyPair keys;
    public final byte[] credentialId = new byte[32];
    /** The user handle this authenticator stores (from the creation options). */
    public byte[] userHandle;
    public long counter;
    /** Presence and verification flags of the next ceremony; BE/BS as a synced passkey would set them. */
    public boolean userPresent = true, userVerified = true, backupEligible, backupState;
    /** Signs with this key instead (a bad signature) when set. */
    public KeyPair signWith;

    public SoftAuthenticator(String rpId, String origin) {
        this.rpId = rpId;
        this.origin = origin;
        this.keys = newKey();
        new SecureRandom().nextBytes(credentialId);
    }

    public static KeyPair newKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String credentialIdB64() {
        return B64.encodeToString(credentialId);
    }

    /** RegistrationResponseJSON for creation options whose {@code challenge} and {@code user.id} are given (base64url). */
    public Map<String, Object> register(String challenge, String userId) {
        userHandle = Base64.getUrlDecoder().decode(userId);
        byte[] clientData = clientData("webauthn.create", challenge);
        byte[] cose = new ObjectConverter().getCborConverter().writeValueAsBytes(
                EC2COSEKey.create((ECPublicKey) keys.getPublic(), COSEAlgorithmIdentifier.ES256));
        ByteArrayOutputStream attested = new ByteArrayOutputStream();
        attested.writeBytes(new byte[16]); // AAGUID: zero, as attestation none reports it
        attested.write(credentialId.length >> 8);
        attested.write(credentialId.length & 0xff);
        attested.writeBytes(credentialId);
        attested.writeBytes(cose);
        byte[] authData = authData(AT, attested.toByteArray());
        Map<String, Object> attestation = new LinkedHashMap<>();
        attestation.put("fmt", "none");
        attestation.put("attStmt", Map.of());
        attestation.put("authData", authData);
        byte[] attestationObject = new ObjectConverter().getCborConverter().writeValueAsBytes(attestation);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", B64.encodeToString(clientData));
        response.put("attestationObject", B64.encodeToString(attestationObject));
        response.put("transports", List.of("internal"));
        return credential(response);
    }

    /** AuthenticationResponseJSON for request options with this {@code challenge}; the counter moves on first. */
    public Map<String, Object> assertion(String challenge) {
        counter++;
        return assertionAtCounter(challenge);
    }

    /** As {@link #assertion} without moving the counter (a clone replays its state). */
    public Map<String, Object> assertionAtCounter(String challenge) {
        byte[] clientData = clientData("webauthn.get", challenge);
        byte[] authData = authData(0, new byte[0]);
        byte[] signature = sign(authData, clientData);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("clientDataJSON", B64.encodeToString(clientData));
        response.put("authenticatorData", B64.encodeToString(authData));
        response.put("signature", B64.encodeToString(signature));
        if (userHandle != null) {
            response.put("userHandle", B64.encodeToString(userHandle));
        }
        return credential(response);
    }

    /** JSON text of a credential map, for calls outside REST Assured. */
    public static String json(Map<String, Object> credential) {
        try {
            return JSON.writeValueAsString(credential);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> credential(Map<String, Object> response) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", credentialIdB64());
        c.put("rawId", credentialIdB64());
        c.put("type", "public-key");
        c.put("response", response);
        c.put("authenticatorAttachment", "platform");
        c.put("clientExtensionResults", Map.of());
        return c;
    }

    private byte[] clientData(String type, String challenge) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type);
        c.put("challenge", challenge);
        c.put("origin", origin);
        c.put("crossOrigin", false);
        try {
            return JSON.writeValueAsBytes(c);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] authData(int extraFlags, byte[] attested) {
        int flags = extraFlags | (userPresent ? UP : 0) | (userVerified ? UV : 0) | (backupEligible ? BE : 0) | (backupState ? BS : 0);
        return ByteBuffer.allocate(37 + attested.length).put(sha256(rpId.getBytes(StandardCharsets.UTF_8))).put((byte) flags)
                .putInt((int) counter).put(attested).array();
    }

    private byte[] sign(byte[] authData, byte[] clientData) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign((signWith == null ? keys : signWith).getPrivate());
            s.update(authData);
            s.update(sha256(clientData));
            return s.sign();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
