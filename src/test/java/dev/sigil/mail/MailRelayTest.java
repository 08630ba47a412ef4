package dev.sigil.mail;

import dev.sigil.support.MailProfile;
import dev.sigil.support.Poll;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestSmtp;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** #26: the outbox relay against a real SMTP server (GreenMail) that tests stop and start. */
@QuarkusTest
@TestProfile(MailProfile.class)
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class MailRelayTest {

    @Inject
    MailRelay relay;

    @BeforeEach
    void smtpUp() {
        TestSmtp.start();
    }

    @AfterEach
    void smtpBack() {
        TestSmtp.start();
    }

    /** Writes {@code n} verification mails to {@code recipient} straight into the outbox; returns their Message-IDs. */
    private static List<String> enqueue(String recipient, String template, int n) {
        List<String> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(TestUsers.jdbc(), "postgres", "");
             PreparedStatement ps = c.prepareStatement("insert into sigil.mail_outbox (message_id, recipient, template, params, "
                     + "next_attempt_at, created_at) values (?, ?, ?, ?::jsonb, now(), now())")) {
            for (int i = 0; i < n; i++) {
                String id = "<" + UUID.randomUUID().toString().replace("-", "") + "@relay.test>";
                ps.setString(1, id);
                ps.setString(2, recipient);
                ps.setString(3, template);
                ps.setString(4, "{\"username\": \"u" + i + "\", \"link\": \"https://sigil.example/account/verify-email?token=t" + i
                        + "\", \"minutes\": 30}");
                ps.addBatch();
                ids.add(id);
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    private static List<String> messageIds(String recipient) {
        return TestSmtp.to(recipient).stream().map(MailRelayTest::messageId).toList();
    }

    private static String messageId(MimeMessage m) {
        try {
            return m.getMessageID();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long rows(String sql, Object... params) {
        return TestUsers.count(sql, params);
    }

    @Test
    void anSmtpOutageDelaysMailButLosesNoneAndNoRequestWaits() {
        // Warm-up (the client library's first request, the endpoint's first call), so the bound below measures the request.
        given().header("X-Forwarded-For", "10.200.0.100").contentType(ContentType.JSON).body(Map.of("email", TestSmtp.address("warm")))
                .post("/password-reset").then().statusCode(202);
        TestSmtp.stop();
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String email = TestSmtp.address("outage");
            TestUsers.create(TestUsers.uniqueName("outage"), "correct horse battery", email, true, "{}");
            recipients.add(email);
            long start = System.nanoTime();
            given().header("X-Forwarded-For", "10.200.0." + (i + 1)).contentType(ContentType.JSON).body(Map.of("email", email))
                    .post("/password-reset").then().statusCode(202);
            // Loose bound: a request that waited for SMTP would wait for the connection's failure and its retries.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
        // The relay keeps trying while SMTP is down: attempts are made and recorded, nothing is given up yet.
        Poll.until("failed attempts recorded", Duration.ofSeconds(30), Duration.ofMillis(50), () -> rows(
                "select count(*) from sigil.mail_outbox where recipient = any(?) and attempts >= 1 and last_error is not null",
                (Object) recipients.toArray(String[]::new)) == recipients.size());
        assertThat(rows("select count(*) from sigil.mail_outbox where recipient = any(?) and state = 'failed'",
                (Object) recipients.toArray(String[]::new))).isZero();

        TestSmtp.start();
        for (String email : recipients) {
            assertThat(TestSmtp.await(email, 1)).hasSize(1);
        }
        Poll.until("the outbox emptied", Duration.ofSeconds(30), Duration.ofMillis(50), () -> rows(
                "select count(*) from sigil.mail_outbox where recipient = any(?)", (Object) recipients.toArray(String[]::new)) == 0);
        for (String email : recipients) {
            assertThat(TestSmtp.to(email)).hasSize(1);
        }
    }

    @Test
    void relaysDrainingTogetherSendEachMessageOnce() throws Exception {
        String recipient = TestSmtp.address("many");
        List<String> ids = enqueue(recipient, "verify-email", 300);
        // Three passes at once on top of the timer's: each claims its own rows (SKIP LOCKED), as replicas do.
        List<CompletableFuture<Integer>> passes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            passes.add(relay.drain().subscribeAsCompletionStage());
        }
        for (CompletableFuture<Integer> p : passes) {
            p.get(60, TimeUnit.SECONDS);
        }
        TestSmtp.await(recipient, ids.size());
        Poll.until("the outbox emptied", Duration.ofSeconds(30), Duration.ofMillis(50),
                () -> rows("select count(*) from sigil.mail_outbox where recipient = ?", recipient) == 0);
        List<String> received = messageIds(recipient);
        assertThat(received).hasSize(ids.size());
        assertThat(new HashSet<>(received)).isEqualTo(new HashSet<>(ids));
    }

    @Test
    void aMessageThatCannotBeSentIsParkedWithoutHoldingTheOthers() {
        String recipient = TestSmtp.address("mixed");
        List<String> bad = enqueue(recipient, "no-such-template", 1);
        List<String> good = enqueue(recipient, "verify-email", 3);
        TestSmtp.await(recipient, good.size());
        Poll.until("the bad one parked", Duration.ofSeconds(30), Duration.ofMillis(50), () -> rows(
                "select count(*) from sigil.mail_outbox where message_id = ? and state = 'failed' and params is null", bad.get(0)) == 1);
        assertThat(messageIds(recipient)).containsExactlyInAnyOrderElementsOf(good);
    }

    @Test
    void afterTheLastAttemptAMessageIsParkedWithoutItsLink() {
        TestSmtp.stop();
        String recipient = TestSmtp.address("doomed");
        String id = enqueue(recipient, "verify-email", 1).get(0);
        Poll.until("parked after the last attempt", Duration.ofSeconds(60), Duration.ofMillis(50), () -> rows(
                "select count(*) from sigil.mail_outbox where message_id = ? and state = 'failed' and attempts = ? and params is null",
                id, MailProfile.MAX_ATTEMPTS) == 1);
        TestSmtp.start();
        Set<String> none = new HashSet<>(messageIds(recipient));
        assertThat(none).isEmpty();
        String metrics = given().get("/q/metrics").asString();
        assertThat(metrics).contains("sigil_mail_total{outcome=\"failed\"}").contains("sigil_mail_total{outcome=\"sent\"}")
                .contains("sigil_mail_queue_depth").contains("sigil_mail_queue_oldest_seconds");
    }

    @Test
    void whileSmtpIsUnreachableTheRelayProbesInsteadOfFailingEveryMessage() throws Exception {
        TestSmtp.stop();
        String recipient = TestSmtp.address("probe");
        List<String> ids = enqueue(recipient, "verify-email", 300);
        Thread.sleep(3000); // many ticks of the timer (every 0.1 s)
        // One batch failed at most (100), then one probe per pause: far from every message at every tick.
        assertThat(rows("select count(*) from sigil.mail_outbox where recipient = ? and attempts > 0", recipient)).isLessThan(150);
        TestSmtp.start();
        TestSmtp.await(recipient, ids.size());
        Poll.until("the outbox emptied", Duration.ofSeconds(30), Duration.ofMillis(50),
                () -> rows("select count(*) from sigil.mail_outbox where recipient = ?", recipient) == 0);
        assertThat(messageIds(recipient)).hasSize(ids.size()).containsExactlyInAnyOrderElementsOf(ids);
    }
}
