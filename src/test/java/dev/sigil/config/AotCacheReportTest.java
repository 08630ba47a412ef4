package dev.sigil.config;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The start-up line's account of the AOT cache, from the JVM's public signals (issue 25). The figures of
 * java.vm.info and /proc/self/maps are those JDK 25 gave for a cache it mapped and for one it refused
 * (a cache trained without -XX:+UseCompactObjectHeaders started with it).
 */
@UnitTest
class AotCacheReportTest {

    static final String CACHE = Path.of("target/app.aot").toAbsolutePath().toString();
    static final List<String> MAPPED = List.of(
            "7c001000-7c909000 rw-p 00001000 fe:00 2150874                            " + CACHE,
            "7fabf9a29000-7fabf9aa6000 rw-p 00909000 fe:00 2150874                    " + CACHE);
    static final List<String> NOT_MAPPED = List.of("55d0c000-55d0d000 r--p 00000000 fe:00 1  /usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    @Test
    void aCacheTheJvmMappedIsInUse() {
        assertThat(AotCacheReport.describe("mixed mode, sharing", Optional.of(CACHE), Optional.of(MAPPED)))
                .startsWith("AOT cache in use (" + CACHE);
    }

    @Test
    void aCacheTheJvmRefusedIsNotInUseAndTheLineSaysHowToFindOutWhy() {
        String line = AotCacheReport.describe("mixed mode", Optional.of(CACHE), Optional.of(NOT_MAPPED));
        assertThat(line).startsWith("AOT cache not in use: the JVM refused " + CACHE).contains("-Xlog:aot");
    }

    @Test
    void sharingWithoutTheCacheMappedIsNotInUse() {
        // the JDK's own base archive mapped, the application's layer refused
        assertThat(AotCacheReport.describe("mixed mode, sharing", Optional.of(CACHE), Optional.of(NOT_MAPPED))).startsWith("AOT cache not in use");
    }

    @Test
    void withoutProcMapsSharingDecides() {
        assertThat(AotCacheReport.describe("mixed mode, sharing", Optional.of(CACHE), Optional.empty())).startsWith("AOT cache in use");
        assertThat(AotCacheReport.describe("mixed mode", Optional.of(CACHE), Optional.empty())).startsWith("AOT cache not in use");
    }

    @Test
    void thisTestJvmWithoutACacheSaysNotInUse() {
        // the test JVM (JDK 17, or 25 without -XX:AOTCache) maps the JDK's default archive: that is not Sigil's cache
        assertThat(AotCacheReport.status()).startsWith("AOT cache not in use (none configured");
    }
}
