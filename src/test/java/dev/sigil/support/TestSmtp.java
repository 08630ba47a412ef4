package dev.sigil.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real SMTP server in the test JVM (GreenMail) on a port chosen once per run, which {@link MailProfile} gives
 * Quarkus' mailer. Tests stop and start it to stand for an SMTP outage; what it received survives neither.
 */
public final class TestSmtp {

    public static final int PORT = FreePorts.one();

    private static GreenMail server;

    private TestSmtp() {
    }

    /** Starts the server unless it runs. */
    public static synchronized GreenMail start() {
        if (server == null) {
            server = new GreenMail(new ServerSetup(PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            server.start();
        }
        return server;
    }

    /** Stops it: connections are refused until {@link #start()}. */
    public static synchronized void stop() {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** Messages received so far to {@code recipient}. */
    public static List<MimeMessage> to(String recipient) {
        return Arrays.stream(start().getReceivedMessages()).filter(m -> {
            try {
                return Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equalsIgnoreCase(recipient));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    /** Waits for {@code n} messages to {@code recipient} and returns them. */
    public static List<MimeMessage> await(String recipient, int n) {
        Poll.until(n + " mails to " + recipient, Duration.ofSeconds(30), Duration.ofMillis(50), () -> to(recipient).size() >= n);
        return to(recipient);
    }

    /** The whole message as sent (headers and every MIME part). */
    public static String raw(MimeMessage m) {
        return GreenMailUtil.getWholeMessage(m);
    }

    private static final Pattern TOKEN = Pattern.compile("[?&]token=([A-Za-z0-9_-]{43})");

    /** The token of the link in a message. */
    public static String token(MimeMessage m) {
        Matcher t = TOKEN.matcher(raw(m));
        if (!t.find()) {
            throw new AssertionError("no token link in the mail");
        }
        return t.group(1);
    }

    /** A unique address at a test domain. */
    public static String address(String prefix) {
        return TestUsers.uniqueName(prefix) + "@mail.example.com";
    }
}
