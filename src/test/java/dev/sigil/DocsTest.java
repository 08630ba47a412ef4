package dev.sigil;

import dev.sigil.support.UnitTest;
import dev.sigil.audit.Audit;
import dev.sigil.config.SigilConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the documents true without booting Quarkus: every setting of {@link SigilConfig} is in
 * docs/configuration.md, every audit event in docs/operations.md, and every relative link of the
 * README and docs/ names a file that exists.
 */
@UnitTest
class DocsTest {

    @Test
    void everySigilSettingIsInTheConfigurationDocument() throws IOException {
        String doc = Files.readString(Path.of("docs/configuration.md"));
        List<String> names = propertyNames(SigilConfig.class);
        assertThat(names).contains("sigil.issuer", "sigil.passwords.native", "sigil.web.demo.enabled");
        assertThat(names).as("settings missing from docs/configuration.md")
                .filteredOn(name -> !doc.contains("`" + name + "`")).isEmpty();
    }

    @Test
    void everyAuditEventIsInTheOperationsDocument() throws Exception {
        String doc = Files.readString(Path.of("docs/operations.md"));
        var known = Audit.class.getDeclaredField("KNOWN");
        known.setAccessible(true);
        @SuppressWarnings("unchecked")
        Map<String, List<String>> events = (Map<String, List<String>>) known.get(null);
        assertThat(events).isNotEmpty();
        events.forEach((event, outcomes) -> {
            String row = "| `" + event + "` | ";
            String line = doc.lines().filter(l -> l.startsWith(row)).findFirst().orElse("");
            assertThat(line).as("docs/operations.md has a row for audit event %s", event).isNotEmpty();
            assertThat(outcomes).as("outcomes of %s missing from its row", event)
                    .filteredOn(outcome -> !line.contains("`" + outcome + "`")).isEmpty();
        });
    }

    @Test
    void everyRelativeLinkNamesAFileThatExists() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(Path.of("README.md")));
        try (var files = Files.walk(Path.of("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).forEach(documents::add);
        }
        Pattern link = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
        var missing = new TreeSet<String>();
        for (Path document : documents) {
            Matcher m = link.matcher(Files.readString(document));
            while (m.find()) {
                String target = m.group(1);
                if (!target.contains("://") && !Files.exists(document.resolveSibling(target))) {
                    missing.add(document + " -> " + target);
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void theReadmeIndexLinksEveryDocument() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        try (var files = Files.walk(Path.of("docs"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".md")).map(Path::toString))
                    .as("documents the README's index does not link")
                    .filteredOn(doc -> !readme.contains("](" + doc + ")")).isEmpty();
        }
    }

    @Test
    void kebabCaseFollowsSmallRye() {
        assertThat(kebab("maxPerUser")).isEqualTo("max-per-user");
        assertThat(kebab("allowHttpJwksUri")).isEqualTo("allow-http-jwks-uri");
        assertThat(kebab("issuer")).isEqualTo("issuer");
    }

    /** The property names of a @ConfigMapping interface: its prefix, then each method in kebab case, groups nested. */
    static List<String> propertyNames(Class<?> mapping) {
        List<String> names = new ArrayList<>();
        collect(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, names);
        return names;
    }

    private static void collect(String prefix, Class<?> group, List<String> names) {
        for (Method method : group.getDeclaredMethods()) {
            if (method.isDefault() || Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            WithName withName = method.getAnnotation(WithName.class);
            String name = prefix + "." + (withName != null ? withName.value() : kebab(method.getName()));
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getEnclosingClass() != null && type.getName().startsWith(SigilConfig.class.getName())) {
                collect(name, type, names);
            } else {
                names.add(name);
            }
        }
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
