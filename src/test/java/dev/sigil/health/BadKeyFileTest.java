package dev.sigil.health;

import dev.sigil.key.KeyFiles;
import dev.sigil.support.TestKeys;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bad file dropped into the key directory no longer freezes reloads: the valid key beside it is
 * published at the next re-read, and readiness stays UP while naming the skipped file.
 */
@QuarkusTest
@TestProfile(BadKeyFileTest.FastReload.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class BadKeyFileTest {

    public static class FastReload implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sigil.keys.reload-interval", "PT1S");
        }
    }

    private static JsonPath signingKeyCheck() {
        return given().get("/q/health/ready").then().extract().jsonPath();
    }

    @Test
    void aBadKeyFileIsSkippedTheNextKeyIsPublishedAndReadinessNamesTheFile() throws Exception {
        Instant activation = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        Path bad = TestKeys.DIR.resolve("20200101T000000Z.pem");
        Path next = KeyFiles.generate(TestKeys.DIR, activation);
        Files.setPosixFilePermissions(next, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(bad, "not a key\n");
        String nextKid = KeyFiles.read(next, activation).kid();
        try {
            Instant deadline = Instant.now().plusSeconds(20);
            List<String> kids = List.of();
            while (Instant.now().isBefore(deadline)) {
                kids = given().get("/.well-known/jwks.json").jsonPath().getList("keys.kid");
                if (kids.contains(nextKid)) {
                    break;
                }
                Thread.sleep(200); // polling a re-read, with a deadline: not a wait against a lifetime
            }
            assertThat(kids).as("the valid key beside the bad file is published").contains(nextKid);

            JsonPath health = signingKeyCheck();
            assertThat(health.getString("status")).isEqualTo("UP");
            String check = "checks.find { it.name == 'signing-key' }";
            assertThat(health.getString(check + ".status")).isEqualTo("UP");
            assertThat(health.getString(check + ".data.skipped_files")).isEqualTo("20200101T000000Z.pem");
            assertThat(health.getString(check + ".data.readable_by_others")).isEqualTo(next.getFileName().toString());
            assertThat(health.prettify()).doesNotContain("not a key");
        } finally {
            Files.deleteIfExists(bad);
            Files.deleteIfExists(next);
        }
    }
}
