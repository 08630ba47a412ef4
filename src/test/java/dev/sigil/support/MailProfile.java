package dev.sigil.support;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The mail tests' restart: Quarkus' mailer sends to {@link TestSmtp} (real SMTP, not the mock mailbox the other
 * tests keep), the relay polls and retries quickly, and the recovery limits are small enough to reach.
 */
public class MailProfile implements QuarkusTestProfile {

    public static final int PER_ADDRESS = 6;
    public static final int MAILS_PER_HOUR = 3;
    public static final int MAX_ATTEMPTS = 4;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("quarkus.mailer.mock", "false"),
                Map.entry("quarkus.mailer.host", "127.0.0.1"),
                Map.entry("quarkus.mailer.port", Integer.toString(TestSmtp.PORT)),
                Map.entry("quarkus.mailer.start-tls", "DISABLED"),
                Map.entry("sigil.mail.poll-interval", "PT0.1S"),
                Map.entry("sigil.mail.retry-base", "PT0.2S"),
                Map.entry("sigil.mail.retry-max", "PT0.5S"),
                Map.entry("sigil.mail.max-attempts", Integer.toString(MAX_ATTEMPTS)),
                Map.entry("sigil.mail.send-timeout", "PT5S"),
                Map.entry("sigil.recovery.per-address", Integer.toString(PER_ADDRESS)),
                Map.entry("sigil.recovery.mails-per-hour", Integer.toString(MAILS_PER_HOUR)));
    }
}
