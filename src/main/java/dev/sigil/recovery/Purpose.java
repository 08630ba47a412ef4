package dev.sigil.recovery;

/** What a mailed token does when used; stored in email_tokens.purpose. */
enum Purpose {
    RESET("reset"),
    VERIFY("verify");

    final String stored;

    Purpose(String stored) {
        this.stored = stored;
    }
}
