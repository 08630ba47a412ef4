package dev.sigil.id;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Base64;
import java.util.Optional;

/**
 * A session's id: 16 random bytes as 22 characters of unpadded base64url (the {@code sid} claim, the
 * sessions API). Only the canonical text is accepted: no padding, and the 4 unused bits of the last
 * character zero, so one session has exactly one name. As a path parameter ({@link #fromString}) the
 * OpenAPI document shows its text, not the record.
 */
@Schema(type = SchemaType.STRING, description = "A session id: 22 characters of unpadded base64url")
public record SessionId(String value) {

    public static final int BYTES = 16;
    private static final int LENGTH = 22;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** Refuses anything but the canonical form, so no other text can ever be a {@code SessionId}. */
    public SessionId {
        if (!isCanonical(value)) {
            throw new IllegalArgumentException("not a session id");
        }
    }

    /** The id of these 16 bytes. */
    public static SessionId of(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) {
            throw new IllegalArgumentException("a session id has " + BYTES + " bytes");
        }
        return new SessionId(B64.encodeToString(bytes));
    }

    /** Empty for anything but the canonical text of 16 bytes (never an exception: input is hostile). */
    public static Optional<SessionId> parse(String text) {
        return isCanonical(text) ? Optional.of(new SessionId(text)) : Optional.empty();
    }

    /** The JAX-RS conversion of a {@code @PathParam}: anything but the canonical text is a 404 before the resource runs. */
    public static SessionId fromString(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a session id"));
    }

    private static boolean isCanonical(String text) {
        if (text == null || text.length() != LENGTH) {
            return false;
        }
        byte[] bytes;
        try {
            bytes = B64D.decode(text); // rejects characters outside the base64url alphabet
        } catch (IllegalArgumentException e) {
            return false;
        }
        // Re-encoding gives back the same text only if no padding was used and the unused bits are zero.
        return bytes.length == BYTES && B64.encodeToString(bytes).equals(text);
    }

    @Override
    public String toString() {
        return value;
    }
}
