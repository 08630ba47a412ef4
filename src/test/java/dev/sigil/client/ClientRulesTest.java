package dev.sigil.client;

import dev.sigil.support.UnitTest;
import dev.sigil.error.SigilException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which public keys a client may register (and which a fetched JWKS may contribute), without Quarkus. */
@UnitTest
class ClientRulesTest {

    static final List<String> USER_AUDIENCE = List.of("sigil", "portal");

    @Test
    void aTokenExchangePolicyNamesUserOrClientSubjectsOnceAndScopesInTheScopeFormat() {
        assertThat(ClientRules.exchange(null)).isEqualTo(ExchangePolicy.NONE);
        ExchangePolicy both = ClientRules.exchange(new ExchangePolicy(List.of("client", "user"), List.of("orders.read")));
        assertThat(both.mayExchange(ExchangePolicy.USER)).isTrue();
        assertThat(both.mayExchange(ExchangePolicy.CLIENT)).isTrue();
        assertThat(ClientRules.exchange(new ExchangePolicy(null, null))).isEqualTo(ExchangePolicy.NONE);
        for (ExchangePolicy bad : List.of(new ExchangePolicy(List.of("admin"), List.of()), new ExchangePolicy(List.of("user", "user"), List.of()),
                new ExchangePolicy(java.util.Arrays.asList("user", null), List.of()), new ExchangePolicy(List.of(), List.of("a b")),
                new ExchangePolicy(List.of(), java.util.Arrays.asList((String) null)))) {
            assertThatThrownBy(() -> ClientRules.exchange(bad)).as("%s", bad).isInstanceOf(SigilException.class);
        }
    }

    @Test
    void anAudienceIsRequiredAndKeepsItsOrderWithoutDuplicates() {
        assertThat(ClientRules.audience(List.of("orders-api", "https://billing.example.com", "orders-api"), USER_AUDIENCE))
                .containsExactly("orders-api", "https://billing.example.com");
        for (List<String> none : java.util.Arrays.asList(null, List.<String>of())) {
            assertThatThrownBy(() -> ClientRules.audience(none, USER_AUDIENCE)).isInstanceOf(SigilException.class);
        }
    }

    @Test
    void noValueOfTheUserAudienceIsAClientAudience() {
        for (String user : USER_AUDIENCE) {
            assertThatThrownBy(() -> ClientRules.audience(List.of("orders-api", user), USER_AUDIENCE)).as(user)
                    .isInstanceOf(SigilException.class).hasMessageContaining("sigil.audience");
        }
    }

    @Test
    void introspectionAudiencesMayBeEmptyAndMayNameTheUserAudience() {
        assertThat(ClientRules.introspectionAudiences(null)).isEmpty();
        assertThat(ClientRules.introspectionAudiences(List.of("sigil", "orders-api"))).containsExactly("sigil", "orders-api");
        assertThatThrownBy(() -> ClientRules.introspectionAudiences(List.of("has space"))).isInstanceOf(SigilException.class);
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BigInteger F4 = BigInteger.valueOf(65537);
    private static RSAPublicKey rsa;
    private static ECPublicKey ec;

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(2048);
        rsa = (RSAPublicKey) r.generateKeyPair().getPublic();
        KeyPairGenerator e = KeyPairGenerator.getInstance("EC");
        e.initialize(new ECGenParameterSpec("secp256r1"));
        ec = (ECPublicKey) e.generateKeyPair().getPublic();
    }

    private static String b64(BigInteger v) {
        byte[] bytes = v.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Map<String, Object> rsaJwk(BigInteger n, BigInteger e) {
        return Map.of("kty", "RSA", "kid", "k", "n", b64(n), "e", b64(e));
    }

    private static Map<String, Object> ecJwk(BigInteger x, BigInteger y) {
        return Map.of("kty", "EC", "kid", "k", "crv", "P-256", "x", b64(x), "y", b64(y));
    }

    private static String register(Map<String, Object> jwk) {
        return ClientRules.jwks(Map.of("keys", List.of(jwk)));
    }

    private static void refused(Map<String, Object> jwk) {
        assertThatThrownBy(() -> register(jwk)).as(jwk.toString()).isInstanceOf(SigilException.class)
                .hasMessageContaining("2048 to 8192 bits, e = 65537");
    }

    @Test
    void rsa2048WithExponent65537AndAP256PointOnTheCurveAreAccepted() throws Exception {
        assertThat(register(rsaJwk(rsa.getModulus(), rsa.getPublicExponent()))).contains("\"kty\":\"RSA\"");
        assertThat(register(ecJwk(ec.getW().getAffineX(), ec.getW().getAffineY()))).contains("\"kty\":\"EC\"");
    }

    @Test
    void rsaKeysWithASmallOrHugeExponentAreRefused() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(new RSAKeyGenParameterSpec(2048, BigInteger.valueOf(3)));
        RSAPublicKey e3 = (RSAPublicKey) g.generateKeyPair().getPublic();
        refused(rsaJwk(e3.getModulus(), BigInteger.valueOf(3)));
        refused(rsaJwk(rsa.getModulus(), BigInteger.ONE));
        refused(rsaJwk(rsa.getModulus(), new BigInteger(600 * 8, RANDOM).setBit(0).setBit(600 * 8 - 1)));
    }

    @Test
    void rsaModuliOutside2048To8192BitsAreRefused() {
        refused(rsaJwk(new BigInteger(2047, RANDOM).setBit(0).setBit(2046), F4));
        refused(rsaJwk(new BigInteger(8193, RANDOM).setBit(0).setBit(8192), F4));
        refused(rsaJwk(new BigInteger(40_000, RANDOM).setBit(0).setBit(39_999), F4));
    }

    @Test
    void anEcPointOffTheCurveOrOutsideTheFieldIsRefused() {
        BigInteger x = ec.getW().getAffineX();
        BigInteger y = ec.getW().getAffineY();
        BigInteger p = ((ECFieldFp) ec.getParams().getCurve().getField()).getP();
        refused(ecJwk(x, y.add(BigInteger.ONE).mod(p)));
        refused(ecJwk(x.add(BigInteger.ONE).mod(p), y));
        refused(ecJwk(x, y.add(p))); // the same residue, but not a field element: not a canonical encoding
    }
}
