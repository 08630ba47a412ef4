package dev.sigil.oauth;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClientConfigBuilder;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.Tokens;
import io.quarkus.oidc.client.runtime.OidcClientConfig;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.oauth2.client.OAuth2AuthorizationContext;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.TokenExchangeOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.endpoint.RestClientTokenExchangeTokenResponseClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Stock token-exchange clients, configured as their own docs show, against Sigil: Spring Security's
 * {@code TokenExchangeOAuth2AuthorizedClientProvider} (without Spring Boot) and quarkus-oidc-client's {@code exchange}
 * grant (created through {@code OidcClients}, as for a client configured at run time). Each exchanged token is then
 * checked by stock resource-server verifiers: smallrye-jwt's parser (what a Quarkus service runs) and Spring's
 * {@code NimbusJwtDecoder}, each with the JWKS, the issuer and an audience: accepted for the token's audience,
 * refused for another.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class TokenExchangeStockClientsTest {

    static final String ACCESS = "urn:ietf:params:oauth:token-type:access_token";

    @Inject
    OidcClients oidcClients;

    record Registered(String id, String secret) {
    }

    private Registered exchanger() {
        String admin = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        String id = "stock-" + UUID.randomUUID().toString().substring(0, 12);
        Map<String, Object> body = new HashMap<>(Map.of("client_id", id, "audience", List.of("inventory-api", "billing-api")));
        body.put("token_exchange", Map.of("subjects", List.of("user"), "scopes", List.of("inventory.read")));
        Response r = given().auth().oauth2(admin).contentType(ContentType.JSON).body(body).post("/admin/clients");
        r.then().statusCode(201);
        return new Registered(id, r.jsonPath().getString("client_secret"));
    }

    private static String jwks() {
        return Api.issuer() + "/.well-known/jwks.json";
    }

    @Test
    void springSecuritysTokenExchangeProviderGetsATokenThatResourceServersOfThatAudienceAlone() throws Exception {
        Registered c = exchanger();
        TestUsers.TestUser user = TestUsers.create("reader");
        String subject = Api.accessToken(Api.loggedIn(user));
        JWTClaimsSet subjectClaims = TokenExchangeTest.claims(subject);

        ClientRegistration registration = ClientRegistration.withRegistrationId("inventory")
                .clientId(c.id()).clientSecret(c.secret())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.TOKEN_EXCHANGE)
                .tokenUri(Api.issuer() + "/oauth2/token")
                .scope("inventory.read")
                .build();
        RestClientTokenExchangeTokenResponseClient responses = new RestClientTokenExchangeTokenResponseClient();
        responses.setParametersCustomizer(parameters -> parameters.add("audience", "inventory-api"));
        TokenExchangeOAuth2AuthorizedClientProvider provider = new TokenExchangeOAuth2AuthorizedClientProvider();
        provider.setAccessTokenResponseClient(responses);
        provider.setSubjectTokenResolver(context -> new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, subject,
                subjectClaims.getIssueTime().toInstant(), subjectClaims.getExpirationTime().toInstant()));
        OAuth2AuthorizedClient authorized = provider.authorize(
                OAuth2AuthorizationContext.withClientRegistration(registration)
                        .principal(new TestingAuthenticationToken(user.username(), null)).build());

        assertThat(authorized).isNotNull();
        assertThat(authorized.getRefreshToken()).isNull();
        assertThat(authorized.getAccessToken().getScopes()).containsExactly("inventory.read");
        String token = authorized.getAccessToken().getTokenValue();
        assertAcceptedOnlyFor(token, "inventory-api", "billing-api", subjectClaims.getSubject(), c.id());
    }

    @Test
    void quarkusOidcClientsExchangeGrantGetsATokenThatResourceServersOfThatAudienceAlone() throws Exception {
        Registered c = exchanger();
        String subject = Api.accessToken(Api.loggedIn(TestUsers.create("reader")));
        OidcClientConfig config = new OidcClientConfigBuilder()
                .id("sigil-exchange-" + c.id())
                .authServerUrl(Api.issuer())
                .clientId(c.id())
                .credentials(c.secret())
                .grant(OidcClientConfig.Grant.Type.EXCHANGE)
                .grantOptions("exchange", Map.of("audience", "billing-api", "subject_token_type", ACCESS))
                .scopes("inventory.read")
                .build();
        OidcClient client = oidcClients.newClient(config).await().atMost(Duration.ofSeconds(60));
        try {
            Tokens tokens = client.getTokens(Map.of("subject_token", subject)).await().atMost(Duration.ofSeconds(60));
            assertThat(tokens.getRefreshToken()).isNull();
            assertThat(tokens.get("issued_token_type")).isEqualTo(ACCESS);
            assertAcceptedOnlyFor(tokens.getAccessToken(), "billing-api", "inventory-api",
                    TokenExchangeTest.claims(subject).getSubject(), c.id());
        } finally {
            client.close();
        }
    }

    /** The token verifies for {@code audience} with both stock verifiers, names the user and the actor, and fails for {@code other}. */
    private static void assertAcceptedOnlyFor(String token, String audience, String other, String user, String actor) throws Exception {
        JsonWebToken quarkus = smallrye(audience).parse(token);
        assertThat(quarkus.getSubject()).isEqualTo(user);
        assertThat(quarkus.getAudience()).containsExactly(audience);
        assertThat(quarkus.<Object>getClaim("act").toString()).contains(actor);
        assertThatThrownBy(() -> smallrye(other).parse(token)).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> smallrye("sigil").parse(token)).isInstanceOf(ParseException.class);

        Jwt spring = spring(audience).decode(token);
        assertThat(spring.getSubject()).isEqualTo(user);
        assertThat(spring.getAudience()).containsExactly(audience);
        assertThat(spring.getClaimAsMap("act")).isEqualTo(Map.of("sub", actor));
        assertThatThrownBy(() -> spring(other).decode(token)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> spring("sigil").decode(token)).isInstanceOf(JwtException.class);
    }

    /** What a Quarkus service's smallrye-jwt does with mp.jwt.verify.publickey.location, .issuer and .audiences. */
    private static DefaultJWTParser smallrye(String audience) {
        JWTAuthContextInfo context = new JWTAuthContextInfo(jwks(), Api.issuer());
        context.setExpectedAudience(Set.of(audience));
        return new DefaultJWTParser(context);
    }

    /** A Spring resource server's decoder: JWKS, issuer and audience (Spring Boot's jwk-set-uri, issuer-uri, audiences). */
    private static NimbusJwtDecoder spring(String audience) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwks()).build();
        decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(new JwtIssuerValidator(Api.issuer()),
                new JwtAudienceValidator(audience)));
        return decoder;
    }
}
