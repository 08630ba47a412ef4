package dev.sigil;

import dev.sigil.support.UnitTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the unit tier ({@code ./mvnw test -Dgroups=unit}) whole and fast: every test class that boots no
 * Quarkus carries {@link UnitTest}, and no {@code @QuarkusTest} does (it would boot Quarkus in the tier that
 * promises none). Process tests (*IT) belong to neither.
 */
@UnitTest
class TestTiersTest {

    static final Pattern TESTS = Pattern.compile("(?m)^\\s*@(Test|ParameterizedTest|RepeatedTest)\\b");
    static final Pattern QUARKUS = Pattern.compile("(?m)^@Quarkus(Test|IntegrationTest|MainTest)\\b");
    static final Pattern UNIT = Pattern.compile("(?m)^@UnitTest\\b");

    @Test
    void everyPlainTestClassIsInTheUnitTierAndNoQuarkusTestIs() throws IOException {
        List<String> untagged = new ArrayList<>();
        List<String> quarkusTagged = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("src/test/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith("Test.java")).toList()) {
                String source = Files.readString(f);
                if (!TESTS.matcher(source).find()) {
                    continue;
                }
                boolean quarkus = QUARKUS.matcher(source).find();
                boolean unit = UNIT.matcher(source).find();
                if (!quarkus && !unit) {
                    untagged.add(f.getFileName().toString());
                }
                if (quarkus && unit) {
                    quarkusTagged.add(f.getFileName().toString());
                }
            }
        }
        assertThat(untagged).as("plain JUnit classes without @UnitTest (add it: they belong to the unit tier)").isEmpty();
        assertThat(quarkusTagged).as("@QuarkusTests marked @UnitTest").isEmpty();
    }

    /** The list the Maven profile unit runs ({@code -Punit}) names exactly the classes marked @UnitTest. */
    @Test
    void theUnitProfileListsExactlyTheUnitTestClasses() throws IOException {
        List<String> marked = new ArrayList<>();
        Path root = Path.of("src/test/java");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith("Test.java")).toList()) {
                if (UNIT.matcher(Files.readString(f)).find()) {
                    marked.add(root.relativize(f).toString().replace('\\', '/'));
                }
            }
        }
        List<String> listed = Files.readAllLines(Path.of("src/test/unit-tests.txt")).stream().filter(l -> !l.isBlank()).toList();
        assertThat(listed).as("src/test/unit-tests.txt (one line per @UnitTest class: dev/sigil/.../XTest.java)")
                .containsExactlyInAnyOrderElementsOf(marked);
    }
}
