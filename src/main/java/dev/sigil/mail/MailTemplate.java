package dev.sigil.mail;

import java.util.Optional;

/**
 * The mails Sigil sends. Each has a text and an HTML Qute template, {@code templates/mail/<name>.txt} and
 * {@code .html}; the outbox row stores the name and the template's parameters, and the relay renders them.
 */
public enum MailTemplate {
    /** A link to set a new password: parameters {@code link}, {@code username}, {@code minutes}. */
    PASSWORD_RESET("password-reset", "Reset your password"),
    /** A link that confirms an address: {@code link}, {@code username}, {@code minutes}. */
    VERIFY_EMAIL("verify-email", "Confirm your email address"),
    /** To the old address of an email change: {@code username}, {@code new_email}. */
    EMAIL_CHANGE_NOTICE("email-change-notice", "Your email address is being changed");

    public final String file;
    public final String subject;

    MailTemplate(String file, String subject) {
        this.file = file;
        this.subject = subject;
    }

    /** The template of a stored name; empty for a name no release has written. */
    public static Optional<MailTemplate> of(String file) {
        for (MailTemplate t : values()) {
            if (t.file.equals(file)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
