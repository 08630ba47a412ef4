package dev.sigil.user;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.error.SigilException;
import dev.sigil.id.Username;
import dev.sigil.password.PasswordPolicy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a username, an email, a role list and a set of custom claims may look like. Each check throws a
 * {@code validation_failed} that names the field and the rule; none echoes the value.
 */
public final class UserRules {

    /** Pragmatic, not RFC 5322: one @, no spaces or control characters, a dot in the domain. */
    public static final Pattern EMAIL = Pattern.compile("[^\\s@\\p{Cntrl}]{1,64}@[^\\s@\\p{Cntrl}.]+(\\.[^\\s@\\p{Cntrl}.]+)+");
    public static final Pattern ROLE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    public static final int MAX_EMAIL = 254;
    public static final int MAX_ROLES = 32;
    public static final int MAX_CLAIM_NAME = 128;
    public static final int MAX_CLAIMS_BYTES = 4096;
    /**
     * Claim names a stored custom claim may not use (compared ignoring letter case), because Sigil sets
     * them itself or because verifiers give them a meaning of their own: a forged {@code scope},
     * {@code roles} or {@code email_verified} would be believed by some resource server.
     * <ul>
     * <li>RFC 7519 registered claims: iss, sub, aud, exp, nbf, iat, jti.</li>
     * <li>Sigil's own: sid, upn, groups, email, email_verified, uv, typ.</li>
     * <li>RFC 9068 / RFC 8693 / RFC 7800 (access tokens, token exchange, proof of possession): scope,
     *     client_id, auth_time, acr, amr, roles, entitlements, act, may_act, cnf.</li>
     * <li>OpenID Connect Core: azp, nonce, at_hash, c_hash, s_hash, preferred_username, phone_number_verified.</li>
     * <li>MicroProfile JWT: raw_token, token_type, orig_iat.</li>
     * <li>Authorization claims that common resource servers read: scp (Spring, Azure AD, Okta),
     *     permissions (Auth0), realm_access and resource_access (Keycloak roles, read by quarkus-oidc).</li>
     * </ul>
     * Descriptive profile claims (name, given_name, family_name, locale...) stay available to admins.
     */
    public static final Set<String> RESERVED_CLAIMS = Set.of(
            "iss", "sub", "aud", "exp", "nbf", "iat", "jti",
            "sid", "upn", "groups", "email", "email_verified", "uv", "typ",
            "scope", "client_id", "auth_time", "acr", "amr", "roles", "entitlements", "act", "may_act", "cnf",
            "azp", "nonce", "at_hash", "c_hash", "s_hash", "preferred_username", "phone_number_verified",
            "raw_token", "token_type", "orig_iat",
            "scp", "permissions", "realm_access", "resource_access", "mfa_enrolment_required");
    private static final String RESERVED_LIST = String.join(", ", RESERVED_CLAIMS.stream().sorted().toList());

    /** Serialises claims to measure them; plain Jackson, independent of request parsing. */
    private static final ObjectMapper JSON = new ObjectMapper();

    private UserRules() {
    }

    /** PostgreSQL text cannot hold NUL (U+0000): such input matches no row, and sending it fails the query. */
    public static boolean storable(String value) {
        return value == null || value.indexOf('\u0000') < 0;
    }

    /**
     * What is wrong with a JSON claim value (strings, numbers, lists, maps, nested), or null when nothing:
     * a NUL cannot go into a jsonb column, a lone surrogate would be stored as '?', and a number too large
     * for a double (1e400) would become "Infinity", which is not JSON.
     */
    private static String jsonProblem(Object value) {
        if (value instanceof String s) {
            return !storable(s) ? "claim values may not contain NUL (\\u0000)"
                    : !PasswordPolicy.wellFormed(s) ? "claim names and values must be well-formed Unicode (no lone UTF-16 surrogate)"
                    : null;
        }
        if ((value instanceof Double d && !Double.isFinite(d)) || (value instanceof Float f && !Float.isFinite(f))) {
            return "claim numbers must be finite (a number beyond the range of a double is refused)";
        }
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String p = jsonProblem(String.valueOf(e.getKey()));
                p = p != null ? p : jsonProblem(e.getValue());
                if (p != null) {
                    return p;
                }
            }
        }
        if (value instanceof List<?> l) {
            for (Object item : l) {
                String p = jsonProblem(item);
                if (p != null) {
                    return p;
                }
            }
        }
        return null;
    }

    /** Caps the work a password can cause before the policy (or a verification) looks at it. */
    public static final int MAX_PASSWORD_INPUT = 1024;

    public static String required(String field, String value) {
        if (value == null) {
            throw SigilException.validation(field + " is required");
        }
        return value;
    }

    public static String password(String field, String value) {
        if (required(field, value).length() > MAX_PASSWORD_INPUT) {
            throw SigilException.validation(field + " must be at most " + MAX_PASSWORD_INPUT + " characters");
        }
        PasswordPolicy.requireWellFormed(field, value);
        return value;
    }

    public static String username(String username) {
        if (Username.parse(username).isEmpty()) {
            throw SigilException.validation("username must be 3 to 64 characters of A-Z, a-z, 0-9, '.', '_', '@' and '-'");
        }
        return username;
    }

    /** Null stays null (no email). */
    public static String email(String email) {
        // A lone surrogate would be stored as '?': another address than the one given.
        if (email != null && (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches() || !PasswordPolicy.wellFormed(email))) {
            throw SigilException.validation("email must be an address like name@example.com of at most " + MAX_EMAIL + " characters");
        }
        return email;
    }

    /** Null means none; duplicates collapse, order is kept. */
    public static List<String> roles(List<String> roles) {
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
    public static Map<String, Object> claims(Map<String, Object> claims) {
        if (claims == null) {
            return Map.of();
        }
        for (String name : claims.keySet()) {
            if (RESERVED_CLAIMS.contains(name.toLowerCase(Locale.ROOT))) {
                throw SigilException.validation("claims may not set '" + name + "': the name is reserved for claims that "
                        + "Sigil sets or that verifiers interpret (reserved, in any letter case: " + RESERVED_LIST + ")");
            }
            if (name.isBlank() || name.length() > MAX_CLAIM_NAME || name.chars().anyMatch(Character::isISOControl)) {
                throw SigilException.validation("claim names must be 1 to " + MAX_CLAIM_NAME + " characters without control characters");
            }
            if (claims.get(name) == null) {
                throw SigilException.validation("claim values may not be null; leave the claim out instead");
            }
            String problem = jsonProblem(Map.of(name, claims.get(name)));
            if (problem != null) {
                throw SigilException.validation(problem);
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

    /** 0-based page and a size of 1 to 100; the offset (page * size) must fit the query's int. For every admin list (users, clients). */
    public static void page(int page, int size) {
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
    public static String prefixPattern(String prefix) {
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
