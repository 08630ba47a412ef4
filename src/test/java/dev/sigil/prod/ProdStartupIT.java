package dev.sigil.prod;

import dev.sigil.support.FreePorts;
import dev.sigil.key.KeyFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service in prod mode: it must refuse to start without keys and say what is missing,
 * and start and serve with them.
 */
class ProdStartupIT {

    @Test
    void prodRefusesToStartWithoutSigningKeysAndNamesTheSetting() throws Exception {
        try (ProdProcess p = ProdProcess.start(FreePorts.one(), Map.of())) {
            assertThat(p.process.waitFor(90, TimeUnit.SECONDS)).as("process exits").isTrue();
            assertThat(p.process.exitValue()).isNotZero();
            assertThat(Files.readString(p.log)).contains("sigil.keys.dir (environment variable SIGIL_KEYS_DIR) is not set");
        }
    }

    @Test
    void prodRefusesAnActivationLeadShorterThanTheJwksCacheLifetime() throws Exception {
        Path keys = Files.createTempDirectory("sigil-keys");
        KeyFiles.generate(keys, Instant.now().minusSeconds(5));
        try (ProdProcess p = ProdProcess.start(FreePorts.one(), Map.of("SIGIL_KEYS_DIR", keys.toString(),
                "SIGIL_KEYS_ACTIVATION_LEAD", "PT1M"))) {
            assertThat(p.process.waitFor(90, TimeUnit.SECONDS)).as("process exits").isTrue();
            assertThat(p.process.exitValue()).isNotZero();
            assertThat(Files.readString(p.log)).contains("sigil.keys.activation-lead (PT1M) is shorter than sigil.keys.jwks-max-age");
        }
    }

    /** #29: dev mode's and the tests' embedded PostgreSQL (io.zonky, provided scope) is not in the packaged service. */
    @Test
    void thePackagedServiceCarriesNoEmbeddedPostgres() throws Exception {
        try (java.util.stream.Stream<Path> lib = Files.walk(ProdProcess.JAR.resolveSibling("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".jar"))).as("target/quarkus-app/lib")
                    .isNotEmpty().noneMatch(name -> name.startsWith("io.zonky"));
        }
    }

    @Test
    void prodStartsWithAKeyDirectoryAndBecomesReady() throws Exception {
        Path keys = Files.createTempDirectory("sigil-keys");
        KeyFiles.generate(keys, Instant.now().minusSeconds(5));
        try (ProdProcess p = ProdProcess.start(FreePorts.one(), Map.of("SIGIL_KEYS_DIR", keys.toString())).awaitReady()) {
            String jwks = p.get("/.well-known/jwks.json").body();
            assertThat(jwks).contains("\"kty\":\"RSA\"").doesNotContain("\"d\"");
        }
    }

    @Test
    void tokensSignedWithTheFastProviderAndWithTheJdkFallbackBothVerify() throws Exception {
        Path keys = Files.createTempDirectory("sigil-keys");
        KeyFiles.generate(keys, Instant.now().minusSeconds(5));
        for (boolean fast : new boolean[] {true, false}) {
            String suffix = ProdProcess.randomSuffix();
            Map<String, String> env = new java.util.HashMap<>(ProdProcess.freshAdmin(suffix));
            env.put("SIGIL_KEYS_DIR", keys.toString());
            env.put("SIGIL_CRYPTO_FAST_PROVIDER", Boolean.toString(fast));
            try (ProdProcess p = ProdProcess.start(FreePorts.one(), env).awaitReady()) {
                assertThat(Files.readString(p.log)).contains(fast
                        ? "Crypto provider: AmazonCorrettoCryptoProvider"
                        : "Crypto provider: JDK (sigil.crypto.fast-provider=false)");
                var login = p.postJson("/login", ProdProcess.login(suffix));
                assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
                String token = login.body().replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
                var processor = new com.nimbusds.jwt.proc.DefaultJWTProcessor<com.nimbusds.jose.proc.SecurityContext>();
                processor.setJWSKeySelector(new com.nimbusds.jose.proc.JWSVerificationKeySelector<>(
                        com.nimbusds.jose.JWSAlgorithm.RS256,
                        com.nimbusds.jose.jwk.source.JWKSourceBuilder.create(new java.net.URL(p.url("/.well-known/jwks.json"))).build()));
                assertThat(processor.process(token, null).getStringClaim("upn")).isEqualTo("it-" + suffix);
            }
        }
    }

    @Test
    void generateKeyWritesTheNextKeyNamedByItsActivationWithoutStartingTheService() throws Exception {
        Path keys = Files.createTempDirectory("sigil-keys");
        Instant at = Instant.parse("2030-01-02T03:04:05Z");
        try (ProdProcess p = ProdProcess.start(FreePorts.one(), Map.of("SIGIL_KEYS_DIR", keys.toString()),
                "--generate-key", "--activate-at", at.toString())) {
            assertThat(p.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.process.exitValue()).as(Files.readString(p.log)).isZero();
            Path file = keys.resolve("20300102T030405Z.pem");
            assertThat(file).exists();
            assertThat(Files.readString(file)).startsWith("-----BEGIN " + "PRIVATE KEY-----");
            assertThat(KeyFiles.load(keys)).singleElement().satisfies(k -> {
                assertThat(k.activatesAt()).isEqualTo(at);
                assertThat(Files.readString(p.log)).contains(k.kid());
            });
            assertThat(Files.readString(p.log)).doesNotContain("Listening on");
        }
    }
}
