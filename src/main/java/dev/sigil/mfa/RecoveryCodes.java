package dev.sigil.mfa;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Ten single-use recovery codes of 50 random bits each, shown as {@code xxxxx-xxxxx} (base32, lower case). */
public final class RecoveryCodes {

    public static final int COUNT = 10;
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RecoveryCodes() {
    }

    public static List<String> generate() {
        List<String> codes = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            StringBuilder s = new StringBuilder(11);
            for (int j = 0; j < 10; j++) {
                if (j == 5) {
                    s.append('-');
                }
                s.append(ALPHABET.charAt(RANDOM.nextInt(32)));
            }
            codes.add(s.toString());
        }
        return codes;
    }

    /** The canonical form of what a user typed (case and the dash do not matter), or empty when it cannot be a code. */
    public static Optional<String> normalise(String typed) {
        if (typed == null || typed.length() > 16) {
            return Optional.empty();
        }
        String s = typed.replace("-", "").toLowerCase(Locale.ROOT);
        return s.matches("[a-z2-7]{10}") ? Optional.of(s) : Optional.empty();
    }
}
