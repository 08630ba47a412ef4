package dev.sigil.password;

import dev.sigil.error.SigilException;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * NIST SP 800-63B password rules: length counted in code points after Unicode NFKC normalization
 * (8 to 128), no composition rules, and refusal of the username itself, a single repeated character
 * and the common passwords of {@code /passwords/common-passwords.txt} (origin and licence in the
 * NOTICE.md beside it). Every refusal names its reason.
 */
@Startup // the list is read once, at start-up
@ApplicationScoped
public class PasswordPolicy {

    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 128;
    static final String LIST = "/passwords/common-passwords.txt";

    private final Set<String> common;

    public PasswordPolicy() {
        this.common = load();
    }

    /** The form that is hashed and counted: NFKC, so that equivalent spellings are one password. */
    public static String normalize(String password) {
        return Normalizer.normalize(password, Normalizer.Form.NFKC);
    }

    /**
     * Whether {@code text} is well-formed UTF-16: no lone surrogate. Encoding to UTF-8 (as hashing does)
     * silently turns a lone surrogate into '?', so two different passwords would hash alike.
     */
    public static boolean wellFormed(String text) {
        return text.codePoints().noneMatch(cp -> cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE);
    }

    /** 400 {@code validation_failed} naming {@code field} unless {@code value} is well-formed Unicode; null passes. */
    public static void requireWellFormed(String field, String value) {
        if (value != null && !wellFormed(value)) {
            throw SigilException.validation(field + " must be well-formed Unicode (it contains a lone UTF-16 surrogate)");
        }
    }

    /** Refuses {@code password} for {@code username} with a 400 that says why; returns normally when acceptable. */
    public void check(String password, String username) {
        String p = normalize(password);
        int length = p.codePointCount(0, p.length());
        if (length < MIN_LENGTH) {
            throw SigilException.validation("The password must be at least " + MIN_LENGTH + " characters long");
        }
        if (length > MAX_LENGTH) {
            throw SigilException.validation("The password must be at most " + MAX_LENGTH + " characters long");
        }
        String lower = p.toLowerCase(Locale.ROOT);
        if (username != null && lower.equals(normalize(username).toLowerCase(Locale.ROOT))) {
            throw SigilException.validation("The password must not be the username");
        }
        if (p.codePoints().distinct().count() == 1) {
            throw SigilException.validation("The password must not be one character repeated");
        }
        if (common.contains(lower)) {
            throw SigilException.validation("This password is too common; choose one that is harder to guess");
        }
    }

    private static Set<String> load() {
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException("Missing common-password list " + LIST);
            }
            Set<String> set = new HashSet<>(65_536);
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isEmpty()) {
                    set.add(normalize(line).toLowerCase(Locale.ROOT));
                }
            }
            return Set.copyOf(set);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
