package dev.sigil.user;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.web.SigilException;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a username, an email, a role list and a set of custom claims may look like. Each check throws a
 * {@code validation_failed} that names the field and the rule; none echoes the value.
 */
final class UserRules {

    static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{3,64}");
    /** Pragmatic, not RFC 5322: one @, no spaces or control characters, a dot in the domain. */
    static final Pattern EMAIL = Pattern.compile("[^\\s@\\p{Cntrl}]{1,64}@[^\\s@\\p{Cntrl}.]+(\\.[^\\s@\\p{Cntrl}.]+)+");
    static final Pattern ROLE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    static final int MAX_EMAIL = 254;
    static final int MAX_ROLES = 32;
    static final int MAX_CLAIM_NAME = 128;
    static final int MAX_CLAIMS_BYTES = 4096;
    /** Claims that Sigil sets itself in every access token; a stored claim may not shadow them. */
    static final Set<String> RESERVED_CLAIMS = Set.of(
            "iss", "sub", "aud", "exp", "iat", "nbf", "jti", "sid", "upn", "groups", "typ", "email", "uv");

    /** Serialises claims to measure them; plain Jackson, independent of request parsing. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private UserRules() {
    }

    /** PostgreSQL text cannot hold NUL (U+0000): such input matches no row, and sending it fails the query. */
    static boolean storable(String value) {
        return value == null || value.indexOf('\u0000') < 0;
    }

    /** Whether a JSON value (strings, numbers, lists, maps, nested) can go into a jsonb column: no NUL anywhere. */
    private static boolean storableJson(Object value) {
        if (value instanceof String s) {
            return storable(s);
        }
        if (value instanceof Map<?, ?> m) {
            return m.entrySet().stream().allMatch(e -> storableJson(String.valueOf(e.getKey())) && storableJson(e.getValue()));
        }
        if (value instanceof List<?> l) {
            return l.stream().allMatch(UserRules::storableJson);
        }
        return true;
    }

    /** Caps the work a password can cause before the policy (or a verification) looks at it. */
    static final int MAX_PASSWORD_INPUT = 1024;

    static String required(String field, String value) {
        if (value == null) {
            throw SigilException.validation(field + " is required");
        }
        return value;
    }

    static String password(String field, String value) {
        if (required(field, value).length() > MAX_PASSWORD_INPUT) {
            throw SigilException.validation(field + " must be at most " + MAX_PASSWORD_INPUT + " characters");
        }
        return value;
    }

    static String username(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw SigilException.validation("username must be 3 to 64 characters of A-Z, a-z, 0-9, '.', '_', '@' and '-'");
        }
        return username;
    }

    /** Null stays null (no email). */
    static String email(String email) {
        if (email != null && (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches())) {
            throw SigilException.validation("email must be an address like name@example.com of at most " + MAX_EMAIL + " characters");
        }
        return email;
    }

    /** Null means none; duplicates collapse, order is kept. */
    static List<String> roles(List<String> roles) {
        if (roles == null) {
            return List.of();
        }
        if (roles.size() > MAX_ROLES) {
            throw SigilException.validation("roles may list at most " + MAX_ROLES + " roles");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String role : roles) {
            if (role == null || !ROLE.matcher(role).matches()) {
                throw SigilException.validation("each role must be 1 to 64 characters of A-Z, a-z, 0-9, '.', '_', ':' and '-', "
                        + "starting with a letter or digit");
            }
            out.add(role);
        }
        return List.copyOf(out);
    }

    /** Null means none. The values may be any JSON; the names must not be Sigil's own. */
    static Map<String, Object> claims(Map<String, Object> claims) {
        if (claims == null) {
            return Map.of();
        }
        for (String name : claims.keySet()) {
            if (RESERVED_CLAIMS.contains(name)) {
                throw SigilException.validation("claims may not set '" + name + "': Sigil sets it itself (reserved: "
                        + String.join(", ", RESERVED_CLAIMS.stream().sorted().toList()) + ")");
            }
            if (name.isBlank() || name.length() > MAX_CLAIM_NAME || name.chars().anyMatch(Character::isISOControl)) {
                throw SigilException.validation("claim names must be 1 to " + MAX_CLAIM_NAME + " characters without control characters");
            }
            if (claims.get(name) == null) {
                throw SigilException.validation("claim values may not be null; leave the claim out instead");
            }
            if (!storableJson(claims.get(name))) {
                throw SigilException.validation("claim values may not contain NUL (\\u0000)");
            }
        }
        try {
            if (JSON.writeValueAsBytes(claims).length > MAX_CLAIMS_BYTES) {
                throw SigilException.validation("claims must serialise to at most " + MAX_CLAIMS_BYTES + " bytes of JSON");
            }
        } catch (JsonProcessingException e) {
            throw SigilException.validation("claims must be a JSON object");
        }
        return claims;
    }

    /** 0-based page and a size of 1 to 100; the offset (page * size) must fit the query's int. */
    static void page(int page, int size) {
        if (page < 0) {
            throw SigilException.validation("page must be 0 or more");
        }
        if (size < 1 || size > 100) {
            throw SigilException.validation("size must be between 1 and 100");
        }
        if ((long) page * size > Integer.MAX_VALUE) {
            throw SigilException.validation("page is too large for this size");
        }
    }

    /** The LIKE pattern for a case-insensitive username prefix, with '!' escaping the wildcards. */
    static String prefixPattern(String prefix) {
        if (prefix == null) {
            return "%";
        }
        if (prefix.length() > 64) {
            throw SigilException.validation("username filter must be at most 64 characters");
        }
        if (!storable(prefix)) {
            throw SigilException.validation("username filter must not contain NUL");
        }
        return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }
}
