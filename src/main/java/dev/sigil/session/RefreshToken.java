package dev.sigil.session;

import dev.sigil.crypto.Digests;
import dev.sigil.id.SessionId;
import dev.sigil.id.UserId;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An opaque refresh token: {@code base64url(2 | user id | session id | 256-bit secret | generation | tag)}, 114
 * characters (the leading 2 is the format's version). The ids route it to its session's keys; only the
 * secret, from a CSPRNG, makes it valid. Redis keeps only {@link #hash()}, for the current and previous token.
 * The generation counts rotations (1 at login) and the tag ({@link RefreshKeys}) proves Sigil issued that
 * generation of that session: an older one is recognised as a retired token of the family without being stored.
 * For the grace period the successor is kept encrypted under a key derived from its predecessor, so only a
 * holder of the predecessor can ever read it.
 */
record RefreshToken(UserId userId, byte[] sessionId, byte[] secret, int generation, byte[] tag) {

    private static final byte VERSION = 2;
    private static final int ID_BYTES = SessionId.BYTES;
    private static final int SECRET_BYTES = 32;
    private static final int LENGTH = 1 + 16 + ID_BYTES + SECRET_BYTES + 4 + RefreshKeys.TAG_BYTES;
    /** {@link #LENGTH} bytes in unpadded base64url. */
    private static final int TEXT_LENGTH = (LENGTH * 8 + 5) / 6;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final byte[] KDF_LABEL = "sigil refresh successor v1".getBytes(StandardCharsets.US_ASCII);

    static RefreshToken start(UserId userId, RefreshKeys keys) {
        byte[] sid = new byte[ID_BYTES];
        RANDOM.nextBytes(sid);
        return issued(userId, sid, randomSecret(), 1, keys);
    }

    /** The next generation of this session. */
    RefreshToken successor(RefreshKeys keys) {
        return issued(userId, sessionId, randomSecret(), generation + 1, keys);
    }

    private static RefreshToken issued(UserId userId, byte[] sid, byte[] secret, int generation, RefreshKeys keys) {
        return new RefreshToken(userId, sid, secret, generation, keys.tag(userId, sid, generation));
    }

    /** True when the current or the previous key made the tag. */
    boolean taggedBy(RefreshKeys keys) {
        return keys.verifies(userId, sessionId, generation, tag);
    }

    /**
     * Null for anything that is not a well-formed token (never an exception: input is hostile). Only the
     * canonical text is well-formed: unpadded, and the unused bits of the last character zero, so a
     * token has exactly one spelling.
     */
    static RefreshToken parse(String value) {
        if (value == null || value.length() != TEXT_LENGTH) {
            return null;
        }
        byte[] raw;
        try {
            raw = B64D.decode(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (raw.length != LENGTH || raw[0] != VERSION || !B64.encodeToString(raw).equals(value)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(raw, 1, raw.length - 1);
        UserId user = UserId.of(new UUID(b.getLong(), b.getLong()));
        byte[] sid = new byte[ID_BYTES];
        byte[] secret = new byte[SECRET_BYTES];
        b.get(sid).get(secret);
        int generation = b.getInt();
        byte[] tag = new byte[RefreshKeys.TAG_BYTES];
        b.get(tag);
        return generation < 1 ? null : new RefreshToken(user, sid, secret, generation, tag);
    }

    String encode() {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.put(VERSION).putLong(userId.value().getMostSignificantBits()).putLong(userId.value().getLeastSignificantBits())
                .put(sessionId).put(secret).putInt(generation).put(tag);
        return B64.encodeToString(b.array());
    }

    /** The session id as it appears in the {@code sid} claim and the sessions API. */
    SessionId sid() {
        return SessionId.of(sessionId);
    }

    /** SHA-256 of the secret: what Redis stores. A 256-bit random secret needs no slow hash. */
    String hash() {
        return Digests.sha256Url(secret);
    }

    /** Encrypts {@code successor}'s secret with AES-256-GCM under a key derived from this token's secret. */
    String sealSuccessor(RefreshToken successor) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, successorKey(), new GCMParameterSpec(128, nonce));
            aes.updateAAD(sessionId);
            byte[] sealed = aes.doFinal(successor.secret);
            byte[] out = Arrays.copyOf(nonce, 12 + sealed.length);
            System.arraycopy(sealed, 0, out, 12, sealed.length);
            return B64.encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The successor sealed by {@link #sealSuccessor}, or null if it does not open with this token. */
    RefreshToken openSuccessor(String sealed, RefreshKeys keys) {
        try {
            byte[] in = B64D.decode(sealed);
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, successorKey(), new GCMParameterSpec(128, in, 0, 12));
            aes.updateAAD(sessionId);
            return issued(userId, sessionId, aes.doFinal(in, 12, in.length - 12), generation + 1, keys);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    /** HKDF-Expand-style derivation (HMAC-SHA256 keyed by the secret) of the AES key that seals the successor. */
    private SecretKeySpec successorKey() throws GeneralSecurityException {
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
        hmac.update(KDF_LABEL);
        return new SecretKeySpec(hmac.doFinal(new byte[] {1}), "AES");
    }

    private static byte[] randomSecret() {
        byte[] s = new byte[SECRET_BYTES];
        RANDOM.nextBytes(s);
        return s;
    }

    @Override
    public String toString() {
        return "RefreshToken[user=" + userId + ", sid=" + sid() + ", generation=" + generation + "]"; // never the secret
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RefreshToken t && userId.equals(t.userId) && generation == t.generation
                && Arrays.equals(sessionId, t.sessionId) && MessageDigest.isEqual(secret, t.secret) && Arrays.equals(tag, t.tag);
    }

    @Override
    public int hashCode() {
        return userId.hashCode() * 31 + Arrays.hashCode(sessionId);
    }
}
