package dev.sigil.session;

import dev.sigil.config.SigilConfig;
import dev.sigil.id.UserId;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server-side key that tags refresh tokens: {@code HMAC-SHA256(key, label | user id | session id |
 * generation)}, truncated to 128 bits. A tag proves that Sigil issued generation g of that session, so a
 * token older than the session's current generation is recognised as a retired token of THIS session (reuse)
 * without Redis storing it. The tag is not the credential: the 256-bit random secret, whose hash Redis keeps
 * for the current and previous token only, is. So a leaked key alone lets its holder make older-generation
 * tokens (and revoke a session whose id it knows), never rotate one; a leaked Redis dump holds only hashes.
 * <p>
 * Rotation: the previous key is still accepted for verification; new tokens are tagged with the current one.
 */
@Startup // built at start-up, so that prod without the key refuses to start rather than failing its first login
@ApplicationScoped
public class RefreshKeys {

    static final int TAG_BYTES = 16;
    private static final byte[] LABEL = "sigil refresh v2".getBytes(StandardCharsets.US_ASCII);
    private static final int MIN_KEY_BYTES = 32;

    private final SecretKeySpec current;
    private final SecretKeySpec previous;

    @Inject
    public RefreshKeys(SigilConfig config) {
        this(config.tokens().refreshKey(), config.tokens().refreshPreviousKey(), LaunchMode.current());
    }

    RefreshKeys(Optional<String> key, Optional<String> previousKey, LaunchMode mode) {
        if (key.isEmpty() && mode == LaunchMode.NORMAL) {
            throw new IllegalStateException("sigil.tokens.refresh-key (environment variable SIGIL_TOKENS_REFRESH_KEY) is not set: "
                    + "give the base64 of at least 32 random bytes, the same on every replica, e.g. openssl rand -base64 32");
        }
        this.current = key.map(k -> parse("sigil.tokens.refresh-key", k)).orElseGet(RefreshKeys::generated);
        this.previous = previousKey.map(k -> parse("sigil.tokens.refresh-previous-key", k)).orElse(null);
    }

    /** The tag of generation {@code generation} of the session, under the current key. */
    byte[] tag(UserId user, byte[] sessionId, int generation) {
        return tag(current, user, sessionId, generation);
    }

    /** True when the tag was made by the current or the previous key (constant-time comparisons). */
    boolean verifies(UserId user, byte[] sessionId, int generation, byte[] tag) {
        boolean ok = MessageDigest.isEqual(tag, tag(current, user, sessionId, generation));
        return previous != null ? ok | MessageDigest.isEqual(tag, tag(previous, user, sessionId, generation)) : ok;
    }

    private static byte[] tag(SecretKeySpec key, UserId user, byte[] sessionId, int generation) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(key);
            hmac.update(LABEL);
            hmac.update(ByteBuffer.allocate(16).putLong(user.value().getMostSignificantBits())
                    .putLong(user.value().getLeastSignificantBits()).array());
            hmac.update(sessionId);
            hmac.update(ByteBuffer.allocate(4).putInt(generation).array());
            byte[] out = new byte[TAG_BYTES];
            System.arraycopy(hmac.doFinal(), 0, out, 0, TAG_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SecretKeySpec parse(String name, String value) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(name + " is not base64");
        }
        if (raw.length < MIN_KEY_BYTES) {
            throw new IllegalStateException(name + " must hold at least " + MIN_KEY_BYTES + " bytes, not " + raw.length);
        }
        return new SecretKeySpec(raw, "HmacSHA256");
    }

    /** Dev and test: a fresh key per run (tokens of an earlier run then no longer verify). */
    private static SecretKeySpec generated() {
        byte[] raw = new byte[MIN_KEY_BYTES];
        new SecureRandom().nextBytes(raw);
        return new SecretKeySpec(raw, "HmacSHA256");
    }
}
