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

import java.math.BigInteger;
import java.net.URI;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.EllipticCurve;
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
    private static final BigInteger RSA_EXPONENT = BigInteger.valueOf(65537);
    private static final String KEY_RULES =
            "jwks keys must be RSA (2048 to 8192 bits, e = 65537) or EC P-256 (the point on the curve)";

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

    /**
     * A token-exchange policy: {@code subjects} among {@code user} and {@code client}, each at most once, and the
     * scopes it may pass on in the scope format. Null stands for none (exchange off).
     */
    public static ExchangePolicy exchange(ExchangePolicy policy) {
        if (policy == null) {
            return ExchangePolicy.NONE;
        }
        List<String> subjects = policy.subjects();
        if (subjects.stream().anyMatch(k -> !ExchangePolicy.USER.equals(k) && !ExchangePolicy.CLIENT.equals(k))
                || subjects.stream().distinct().count() != subjects.size()) {
            throw SigilException.validation("token_exchange.subjects may hold \"user\" and \"client\", each at most once");
        }
        return new ExchangePolicy(subjects, scopes("token_exchange.scopes", policy.scopes()));
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

    /** A JWK set of {@link #acceptable} public keys only; returned as the JSON to store. */
    public static String jwks(Map<String, Object> jwks) {
        try {
            String json = JSON.writeValueAsString(jwks);
            JsonWebKeySet set = new JsonWebKeySet(json);
            List<JsonWebKey> keys = set.getJsonWebKeys();
            if (!(jwks.get("keys") instanceof List<?> declared) || declared.isEmpty() || declared.size() > MAX_KEYS) {
                throw SigilException.validation("jwks must hold 1 to " + MAX_KEYS + " keys");
            }
            if (keys.size() != declared.size()) {
                // jose4j skips a key it cannot build (an unknown kty, e = 1, a broken value): refuse it, do not drop it.
                throw SigilException.validation(KEY_RULES);
            }
            for (JsonWebKey k : keys) {
                checkPublicKey(k);
            }
            return json;
        } catch (JoseException | com.fasterxml.jackson.core.JsonProcessingException | ClassCastException e) {
            throw SigilException.validation("jwks must be a JWK set ({\"keys\": [...]})");
        }
    }

    /**
     * Also applied to fetched JWKS: only public keys Sigil accepts assertions from. RSA with a 2048 to 8192-bit
     * modulus and e = 65537 (a small e invites signature forgeries on weak padding checks, a huge key or
     * exponent costs CPU on every verification); EC only on P-256 with the point on the curve (an off-curve
     * point is the invalid-curve attack's way in, and the JDK does not refuse one when the key is built).
     */
    public static boolean acceptable(JsonWebKey k) {
        if (k instanceof PublicJsonWebKey p && p.getPrivateKey() != null) {
            return false;
        }
        if (k instanceof RsaJsonWebKey rsa) {
            RSAPublicKey key = (RSAPublicKey) rsa.getPublicKey();
            int bits = key.getModulus().bitLength();
            return bits >= 2048 && bits <= 8192 && RSA_EXPONENT.equals(key.getPublicExponent());
        }
        return k instanceof EllipticCurveJsonWebKey ec && EllipticCurves.P_256.equals(ec.getCurveName())
                && onP256((ECPublicKey) ec.getPublicKey());
    }

    /** y^2 = x^3 + ax + b (mod p) with both coordinates in the field; P-256 has cofactor 1, so that is the whole check. */
    private static boolean onP256(ECPublicKey key) {
        EllipticCurve curve = EllipticCurves.P256.getCurve();
        BigInteger p = ((ECFieldFp) curve.getField()).getP();
        BigInteger x = key.getW().getAffineX();
        BigInteger y = key.getW().getAffineY();
        if (x == null || y == null || x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        return y.pow(2).mod(p).equals(x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p));
    }

    private static void checkPublicKey(JsonWebKey k) {
        if (k instanceof PublicJsonWebKey p && p.getPrivateKey() != null) {
            throw SigilException.validation("jwks must hold public keys only");
        }
        if (!acceptable(k)) {
            throw SigilException.validation(KEY_RULES);
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
