package dev.sigil.id;

/**
 * What a caller typed as a username (at login): either a {@link Username} of the registration alphabet,
 * or a name no user can have, which is refused without asking the database. Both are throttled, each
 * under its {@link #throttleForm()}, so an unregistrable name costs and counts like a wrong password.
 */
public sealed interface LoginName permits Username, LoginName.Unregistrable {

    static LoginName of(String typed) {
        return Username.parse(typed).<LoginName>map(u -> u).orElseGet(() -> new Unregistrable(typed == null ? "" : typed));
    }

    /**
     * The string throttle keys are derived from (hashed, never used as is): the canonical name of a
     * {@link Username}; for any other name a form that no username can have.
     */
    String throttleForm();

    /** A name outside the registration alphabet: it matches no user, whatever a database would fold it to. */
    record Unregistrable(String typed) implements LoginName {
        @Override
        public String throttleForm() {
            // '!' is outside the alphabet, so this never equals a canonical username.
            return "!" + typed;
        }

        @Override
        public String toString() {
            return "Unregistrable[]"; // a password typed into the username field must not reach a log
        }
    }
}
