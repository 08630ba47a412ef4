package dev.sigil.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigil.error.SigilException;
import dev.sigil.id.ClientId;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

import java.net.URI;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Validation of client attributes from the admin API. Every refusal is 400 {@code validation_failed}. */
public final class ClientRules {

    /** RFC 6749 section 3.3 scope-token characters, bounded in length. */
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,64}");
    private static final Pattern AUDIENCE = Pattern.compile("[\\x21-\\x7E]{1,255}");
    private static final int MAX_ITEMS = 50;
    private static final int MAX_KEYS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClientRules() {
    }

    public static ClientId id(String value) {
        ClientId id = ClientId.parse(value);
        if (id == null) {
            throw SigilException.validation("client_id must be 3 to 64 characters of a-z, 0-9, '.', '_' and '-', starting with a letter or digit");
        }
        return id;
    }

    public static List<String> scopes(String field, List<String> scopes) {
        return tokens(field, scopes, SCOPE);
    }

    /**
     * The APIs a client's tokens are for: at least one (the first is the default), and never one of the user
     * audience ({@code sigil.audience}), else a service token would verify wherever user tokens do.
     */
    public static List<String> audience(List<String> audience, Collection<String> userAudience) {
        List<String> valid = tokens("audience", audience, AUDIENCE);
        if (valid.isEmpty()) {
            throw SigilException.validation("audience must name at least one API the client's tokens are for");
        }
        if (valid.stream().anyMatch(userAudience::contains)) {
            throw SigilException.validation("audience may not hold the audience of user tokens (sigil.audience)");
        }
        return valid;
    }

    /** The audiences whose tokens a client may introspect (RFC 7662 section 4); the user audience is allowed here. */
    public static List<String> introspectionAudiences(List<String> audiences) {
        return tokens("introspection_audiences", audiences, AUDIENCE);
    }

    /** Default scopes must be among the allowed ones. */
    static void defaultsWithin(List<String> defaults, List<String> allowed) {
        if (!allowed.containsAll(defaults)) {
            throw SigilException.validation("default_scopes must be a subset of scopes");
        }
    }

    public static long lifetime(Long seconds, Duration max) {
        if (seconds == null || seconds < 60 || seconds > max.toSeconds()) {
            throw SigilException.validation("token_lifetime must be between 60 and " + max.toSeconds()
                    + " seconds (sigil.tokens.access-lifetime: the JWKS keeps a retired key only that long)");
        }
        return seconds;
    }

    public static Duration overlap(Long seconds) {
        if (seconds < 0 || seconds > Duration.ofDays(30).toSeconds()) {
            throw SigilException.validation("overlap_seconds must be between 0 and 2592000");
        }
        return Duration.ofSeconds(seconds);
    }

    /** A JWKS URL: absolute https (http only where allowed), with a host, no user info or fragment. */
    public static String jwksUri(String value, boolean allowHttp) {
        try {
            URI u = URI.create(value);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            boolean schemeOk = scheme.equals("https") || (allowHttp && scheme.equals("http"));
            if (!schemeOk || u.getHost() == null || u.getUserInfo() != null || u.getFragment() != null || value.length() > 2048) {
                throw SigilException.validation("jwks_uri must be an absolute https URL without user info or fragment");
            }
            return u.toString();
        } catch (IllegalArgumentException e) {
            throw SigilException.validation("jwks_uri must be an absolute https URL without user info or fragment");
        }
    }

    /** A JWK set of public RSA (at least 2048 bits) or P-256 EC keys only; returned as the JSON to store. */
    public static String jwks(Map<String, Object> jwks) {
        try {
            String json = JSON.writeValueAsString(jwks);
            JsonWebKeySet set = new JsonWebKeySet(json);
            List<JsonWebKey> keys = set.getJsonWebKeys();
            if (keys.isEmpty() || keys.size() > MAX_KEYS) {
                throw SigilException.validation("jwks must hold 1 to " + MAX_KEYS + " keys");
            }
            for (JsonWebKey k : keys) {
                checkPublicKey(k);
            }
            return json;
        } catch (JoseException | com.fasterxml.jackson.core.JsonProcessingException | ClassCastException e) {
            throw SigilException.validation("jwks must be a JWK set ({\"keys\": [...]})");
        }
    }

    /** Also applied to fetched JWKS: only public keys Sigil accepts assertions from. */
    public static boolean acceptable(JsonWebKey k) {
        if (k instanceof PublicJsonWebKey p && p.getPrivateKey() != null) {
            return false;
        }
        if (k instanceof RsaJsonWebKey rsa) {
            return ((RSAPublicKey) rsa.getPublicKey()).getModulus().bitLength() >= 2048;
        }
        return k instanceof EllipticCurveJsonWebKey ec && EllipticCurves.P_256.equals(ec.getCurveName());
    }

    private static void checkPublicKey(JsonWebKey k) {
        if (k instanceof PublicJsonWebKey p && p.getPrivateKey() != null) {
            throw SigilException.validation("jwks must hold public keys only");
        }
        if (!acceptable(k)) {
            throw SigilException.validation("jwks keys must be RSA (at least 2048 bits) or EC P-256");
        }
    }

    static Map<String, Object> jwksMap(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored jwks is not JSON");
        }
    }

    private static List<String> tokens(String field, List<String> values, Pattern format) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_ITEMS) {
            throw SigilException.validation(field + " may hold at most " + MAX_ITEMS + " entries");
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String v : values) {
            if (v == null || !format.matcher(v).matches()) {
                throw SigilException.validation(field + " entries must be 1 to 64 printable ASCII characters without spaces, '\"' or '\\'");
            }
            out.add(v);
        }
        return List.copyOf(out);
    }
}
