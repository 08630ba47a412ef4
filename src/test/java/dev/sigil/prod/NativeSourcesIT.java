package dev.sigil.prod;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GraalVM is not available here, so this proves the native build's preparation step: Quarkus' native
 * analysis runs ({@code -Dnative -Dquarkus.native.sources-only=true}, in a copy of the project so this
 * build's target/ is untouched) and registers what Sigil needs at run time: its Lua scripts and
 * password list as resources, and the records it serialises outside resource signatures for reflection.
 */
class NativeSourcesIT {

    @Test
    void nativeBuildPreparationSucceedsAndIncludesSigilsResourcesAndReflection() throws Exception {
        Path copy = Files.createTempDirectory("sigil-native");
        copyTree(Path.of("src"), copy.resolve("src"));
        copyTree(Path.of(".mvn"), copy.resolve(".mvn"));
        Files.copy(Path.of("pom.xml"), copy.resolve("pom.xml"));
        Files.copy(Path.of("mvnw"), copy.resolve("mvnw"), StandardCopyOption.COPY_ATTRIBUTES);
        Path log = Files.createTempFile("sigil-native", ".log");
        Process build = new ProcessBuilder("./mvnw", "-q", "package", "-DskipTests", "-Dnative", "-Dquarkus.native.sources-only=true")
                .directory(copy.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(build.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(build.exitValue()).as(Files.readString(log)).isZero();

        Path sources = copy.resolve("target/native-sources");
        assertThat(sources.resolve("native-image.args")).exists();
        // Dev mode's and the tests' embedded PostgreSQL (io.zonky, provided scope) never reaches the native image (#29).
        try (Stream<Path> lib = Files.list(sources.resolve("lib"))) {
            assertThat(lib.map(p -> p.getFileName().toString())).as("native-sources/lib").isNotEmpty()
                    .noneMatch(name -> name.startsWith("io.zonky"));
        }
        try (ZipFile jar = new ZipFile(sources.resolve("sigil-0.1.0-SNAPSHOT-runner.jar").toFile())) {
            String resources = read(jar, "META-INF/native-image/resource-config.json");
            assertThat(resources).contains("lua/", "passwords/");
            String reflection = read(jar, "META-INF/native-image/reflect-config.json");
            assertThat(reflection).contains("dev.sigil.web.TokenResponse", "dev.sigil.error.Problem",
                    "dev.sigil.session.RefreshResource$RefreshRequest", "dev.sigil.user.UserView", "dev.sigil.user.Profile",
                    "dev.sigil.user.UserSnapshot");
        }
    }

    private static String read(ZipFile jar, String entry) throws IOException {
        try (InputStream in = jar.getInputStream(jar.getEntry(entry))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
