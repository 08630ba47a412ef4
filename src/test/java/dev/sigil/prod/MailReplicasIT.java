package dev.sigil.prod;

import dev.sigil.key.KeyFiles;
import dev.sigil.support.FreePorts;
import dev.sigil.support.Poll;
import dev.sigil.support.TestServers;
import dev.sigil.support.TestSmtp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * #26: two Sigil replicas share one outbox while SMTP is down, and one of them restarts in between: every
 * request answers at once, and once SMTP is back every mail arrives exactly once.
 */
class MailReplicasIT {

    private static final int MAILS = 24;

    @AfterAll
    static void smtpDown() {
        TestSmtp.stop();
    }

    private static Path keys;

    private static Map<String, String> env(int port) throws Exception {
        if (keys == null) {
            keys = Files.createTempDirectory("sigil-keys");
            KeyFiles.generate(keys, Instant.now().minusSeconds(5));
        }
        Map<String, String> e = new HashMap<>();
        e.put("SIGIL_KEYS_DIR", keys.toString());
        e.put("SIGIL_ISSUER", "http://localhost:" + port);
        e.put("QUARKUS_MAILER_HOST", "127.0.0.1");
        e.put("QUARKUS_MAILER_PORT", Integer.toString(TestSmtp.PORT));
        e.put("QUARKUS_MAILER_FROM", "sigil@replicas.test");
        e.put("QUARKUS_MAILER_START_TLS", "DISABLED");
        e.put("SIGIL_MAIL_POLL_INTERVAL", "PT0.2S");
        e.put("SIGIL_MAIL_RETRY_BASE", "PT0.2S");
        e.put("SIGIL_MAIL_RETRY_MAX", "PT1S");
        e.put("SIGIL_MAIL_SEND_TIMEOUT", "PT5S");
        e.put("SIGIL_MAIL_MAX_ATTEMPTS", "10000");
        e.put("SIGIL_RECOVERY_PER_ADDRESS", "1000000");
        return e;
    }

    private static String createUser(String email) throws Exception {
        String name = "replica-" + UUID.randomUUID().toString().substring(0, 12);
        try (Connection c = DriverManager.getConnection(TestServers.postgresJdbcUrl(), "postgres", "");
             PreparedStatement ps = c.prepareStatement("insert into sigil.users (id, username, email, password_hash, created_at, "
                     + "updated_at, password_changed_at) values (?, ?, ?, 'not-a-hash', now(), now(), now())")) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, name);
            ps.setString(3, email);
            ps.executeUpdate();
        }
        return name;
    }

    private static long pending(List<String> recipients) throws Exception {
        try (Connection c = DriverManager.getConnection(TestServers.postgresJdbcUrl(), "postgres", "");
             PreparedStatement ps = c.prepareStatement("select count(*) from sigil.mail_outbox where recipient = any(?)")) {
            ps.setArray(1, c.createArrayOf("text", recipients.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void twoReplicasAnSmtpOutageAndARestartLoseNoMailAndSendNoneTwice() throws Exception {
        TestSmtp.stop();
        int portA = FreePorts.one();
        int portB = FreePorts.one();
        List<String> recipients = new ArrayList<>();
        ProdProcess b = null;
        try (ProdProcess a = ProdProcess.start(portA, env(portA))) {
            b = ProdProcess.start(portB, env(portB));
            a.awaitReady();
            b.awaitReady();
            // Migrations ran at the first start: the users table now has the outbox beside it.
            for (int i = 0; i < MAILS; i++) {
                String email = "replica-" + UUID.randomUUID().toString().substring(0, 8) + "@mail.example.com";
                createUser(email);
                recipients.add(email);
                ProdProcess target = i % 2 == 0 ? a : b;
                long start = System.nanoTime();
                HttpResponse<String> r = target.postJson("/password-reset", "{\"email\":\"" + email + "\"}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                // Loose: a request that waited for SMTP would wait through connection failures and retries.
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
                if (i == MAILS / 2) {
                    b.close(); // a restart while mail is waiting
                    b = ProdProcess.start(portB, env(portB));
                    b.awaitReady();
                }
            }
            Poll.until("every mail written", Duration.ofSeconds(60), Duration.ofMillis(100), () -> pending(recipients) == MAILS);

            TestSmtp.start();
            for (String email : recipients) {
                TestSmtp.await(email, 1);
            }
            Poll.until("the outbox emptied", Duration.ofSeconds(60), Duration.ofMillis(100), () -> pending(recipients) == 0);
            Thread.sleep(1500); // a second pass of both relays, which must find nothing more to send
            for (String email : recipients) {
                assertThat(TestSmtp.to(email)).as(email).hasSize(1);
            }
        } finally {
            if (b != null) {
                b.close();
            }
        }
    }
}
