package dev.sigil.token;

import java.util.ArrayList;
import java.util.List;

/**
 * How the session's user proved who they are: the methods ({@code amr}, RFC 8176) and when ({@code auth_time},
 * epoch seconds). Kept with the session, copied into each of its access tokens. Methods: {@code pwd} (password),
 * {@code otp} (TOTP or recovery code), {@code hwk} / {@code swk} (a passkey bound to its device / a synced one,
 * after its backup-eligible flag), {@code user} (the authenticator verified the user: PIN or biometrics).
 */
public record Authentication(List<String> methods, long authTime) {

    public static final String PASSWORD = "pwd";
    public static final String OTP = "otp";
    public static final String HARDWARE_KEY = "hwk";
    public static final String SOFTWARE_KEY = "swk";
    public static final String USER_VERIFIED = "user";
    /** Every method, in the order the claim lists them. */
    private static final List<String> ORDER = List.of(PASSWORD, OTP, HARDWARE_KEY, SOFTWARE_KEY, USER_VERIFIED);

    public Authentication {
        methods = List.copyOf(methods);
    }

    public boolean secondFactor() {
        return multiFactor(methods);
    }

    /**
     * Whether {@code methods} are two factors: a code, or a passkey (something held) together with a password
     * or the authenticator's user verification (something known or something one is). A passkey alone, without
     * user verification, is one factor (ory/kratos#3853 counted it as two).
     */
    public static boolean multiFactor(List<String> methods) {
        boolean key = methods.contains(HARDWARE_KEY) || methods.contains(SOFTWARE_KEY);
        return methods.contains(OTP) || key && (methods.contains(PASSWORD) || methods.contains(USER_VERIFIED));
    }

    /** A passkey's methods: {@code swk} for a backup-eligible (synced) credential, else {@code hwk}; {@code user} when verified. */
    public static List<String> passkey(boolean backupEligible, boolean userVerified) {
        List<String> m = new ArrayList<>();
        m.add(backupEligible ? SOFTWARE_KEY : HARDWARE_KEY);
        if (userVerified) {
            m.add(USER_VERIFIED);
        }
        return m;
    }

    /** {@code first}, then {@code more}, without repeats and in the claim's order. */
    public static List<String> combined(List<String> first, List<String> more) {
        return ORDER.stream().filter(m -> first.contains(m) || more.contains(m)).toList();
    }

    /** {@code acr}: aal2 with a second factor, aal1 with one factor (NIST SP 800-63B levels, as Supabase). */
    public String acr() {
        return secondFactor() ? "aal2" : "aal1";
    }

    /** The form stored in the session: methods separated by spaces. */
    public String storedMethods() {
        return String.join(" ", methods);
    }

    /** Parses the session's fields; anything unexpected counts as the password alone. */
    public static Authentication stored(String methods, long authTime) {
        if (methods == null || methods.isBlank()) {
            return new Authentication(List.of(PASSWORD), authTime);
        }
        List<String> parsed = List.of(methods.split(" "));
        if (!parsed.stream().allMatch(ORDER::contains) || !combined(parsed, List.of()).equals(parsed)) {
            return new Authentication(List.of(PASSWORD), authTime);
        }
        return new Authentication(parsed, authTime);
    }
}
