package dev.sigil.id;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.regex.Pattern;

/**
 * An OAuth client id: 3 to 64 characters of lower-case letters, digits, '.', '_' and '-', starting
 * with a letter or digit. Every id from outside (path, Basic auth, form, assertion iss/sub) is parsed
 * into this type before it reaches a query or a Redis key; nothing else can be one. As a path parameter
 * ({@link #fromString}) the OpenAPI document shows its text, not the record.
 */
@Schema(type = SchemaType.STRING, description = "An OAuth client id: 3 to 64 of a-z, 0-9, '.', '_', '-'")
public record ClientId(String value) {

    private static final Pattern FORMAT = Pattern.compile("[a-z0-9][a-z0-9._-]{2,63}");

    public ClientId {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a client id");
        }
    }

    /** The id, or null for anything that is not one (never an exception: input is hostile). */
    public static ClientId parse(String value) {
        return value != null && FORMAT.matcher(value).matches() ? new ClientId(value) : null;
    }

    /** The JAX-RS conversion of a {@code @PathParam}: anything else is a 404 before the resource runs. */
    public static ClientId fromString(String value) {
        return new ClientId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
