package dev.sigil.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The key shapes the Lua scripts document, for tests that hold them against the Java key builders. A script's
 * header names each key it takes in KEYS, in order, by its shape: {@code -- KEYS: 1 sigil:{<uid>}:s:<sid>  the
 * session}, continued on lines that start with {@code --} and seven spaces. Placeholders stand for the parts a
 * call fills in ({@code <uid>}, {@code <sid>}, {@code <client>}, {@code <address>}, {@code <name>}, {@code <digest>}).
 */
public final class LuaKeyShapes {

    public static final Path DIR = Path.of("src/main/resources/lua");
    private static final Pattern INCLUDE = Pattern.compile("^--#include ([a-z-]+)$", Pattern.MULTILINE);
    private static final Pattern SHAPE = Pattern.compile("sigil:[^\\s,;)]+");

    private LuaKeyShapes() {
    }

    public static String source(String script) {
        try {
            return Files.readString(DIR.resolve(script + ".lua"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The scripts Sigil runs: every file of the folder but the snippets that others include. */
    public static Set<String> scripts() {
        try (Stream<Path> files = Files.list(DIR)) {
            Set<String> all = new TreeSet<>(files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".lua")).map(n -> n.substring(0, n.length() - 4)).toList());
            Set<String> snippets = new TreeSet<>();
            for (String s : all) {
                Matcher m = INCLUDE.matcher(source(s));
                while (m.find()) {
                    snippets.add(m.group(1));
                }
            }
            all.removeAll(snippets);
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shapes of the KEYS block of {@code script}, in the order they are written. */
    public static List<String> documented(String script) {
        List<String> shapes = new ArrayList<>();
        boolean inKeys = false;
        for (String line : source(script).split("\n")) {
            if (line.startsWith("-- KEYS:")) {
                inKeys = true;
            } else if (!line.startsWith("--       ")) {
                inKeys = false;
            }
            if (inKeys) {
                Matcher m = SHAPE.matcher(line);
                while (m.find()) {
                    shapes.add(m.group());
                }
            }
        }
        return shapes;
    }

    /** Sample values of a call and the placeholders that stand for them, in the order they are replaced. */
    public static Map<String, String> samples(String... valueThenPlaceholder) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < valueThenPlaceholder.length; i += 2) {
            out.put(valueThenPlaceholder[i], valueThenPlaceholder[i + 1]);
        }
        return out;
    }

    /** The keys a Java call passes, as shapes: each sample value replaced by its placeholder. */
    public static List<String> shapes(List<String> keys, Map<String, String> samples) {
        return keys.stream().map(k -> {
            String shape = k;
            for (Map.Entry<String, String> e : samples.entrySet()) {
                shape = shape.replace(e.getKey(), e.getValue());
            }
            return shape;
        }).toList();
    }

    /**
     * Asserts that the keys of each call, in their order, are what {@code script} documents (the calls' shapes in
     * sequence: a script with two callers documents both, one after the other), and that the keys of one call
     * share one hash tag, so the script touches a single slot.
     */
    @SafeVarargs
    public static void assertKeysMatch(String script, Map<String, String> samples, List<String>... calls) {
        List<String> fromJava = new ArrayList<>();
        for (List<String> call : calls) {
            fromJava.addAll(shapes(call, samples));
            Set<String> tags = new TreeSet<>();
            call.forEach(k -> tags.add(k.contains("{") ? k.substring(k.indexOf('{'), k.indexOf('}') + 1) : "(none)"));
            assertThat(tags).as(script + ": hash tags of one call " + call).hasSize(1);
        }
        assertThat(fromJava).as(script + ": the KEYS the Java side passes, against the script's header").isEqualTo(documented(script));
    }
}
