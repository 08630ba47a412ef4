package dev.sigil.token;

import java.util.List;

/**
 * How the session's user proved who they are: the methods ({@code amr}, RFC 8176: {@code pwd}, {@code otp})
 * and when ({@code auth_time}, epoch seconds). Kept with the session, copied into each of its access tokens.
 */
public record Authentication(List<String> methods, long authTime) {

    public static final String PASSWORD = "pwd";
    public static final String OTP = "otp";

    public Authentication {
        methods = List.copyOf(methods);
    }

    public boolean secondFactor() {
        return methods.contains(OTP);
    }

    /** {@code acr}: aal2 with a second factor, aal1 with the password alone (NIST SP 800-63B levels, as Supabase). */
    public String acr() {
        return secondFactor() ? "aal2" : "aal1";
    }

    /** The form stored in the session: methods separated by spaces. */
    public String storedMethods() {
        return String.join(" ", methods);
    }

    /** Parses the session's fields; anything unexpected counts as the password alone. */
    public static Authentication stored(String methods, long authTime) {
        if (methods != null && methods.equals(PASSWORD + " " + OTP)) {
            return new Authentication(List.of(PASSWORD, OTP), authTime);
        }
        return new Authentication(List.of(PASSWORD), authTime);
    }
}
