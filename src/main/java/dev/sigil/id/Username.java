package dev.sigil.id;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A username in its one canonical form: the registration alphabet {@code [A-Za-z0-9._@-]{3,64}},
 * lower-cased in ASCII. The user lookup compares {@code lower(username)} with it and every throttle key
 * derives from it, so no spelling can log in as a user while being counted under another key
 * (PostgreSQL's {@code lower()} folds U+0130 and U+212A to ASCII, Java's {@code toLowerCase} does not).
 */
public record Username(String canonical) implements LoginName {

    /** What registration accepts; ASCII only (no CASE_INSENSITIVE or UNICODE flags). */
    public static final Pattern ALPHABET = Pattern.compile("[A-Za-z0-9._@-]{3,64}");
    private static final Pattern CANONICAL = Pattern.compile("[a-z0-9._@-]{3,64}");

    public Username {
        if (canonical == null || !CANONICAL.matcher(canonical).matches()) {
            throw new IllegalArgumentException("not a canonical username");
        }
    }

    /** The canonical form of {@code typed}, or empty when it is outside the registration alphabet. */
    public static Optional<Username> parse(String typed) {
        if (typed == null || !ALPHABET.matcher(typed).matches()) {
            return Optional.empty();
        }
        return Optional.of(new Username(asciiLowerCase(typed)));
    }

    @Override
    public String throttleForm() {
        return canonical;
    }

    private static String asciiLowerCase(String ascii) {
        char[] c = ascii.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] >= 'A' && c[i] <= 'Z') {
                c[i] = (char) (c[i] + ('a' - 'A'));
            }
        }
        return new String(c);
    }
}
