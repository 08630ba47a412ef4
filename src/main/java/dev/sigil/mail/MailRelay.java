package dev.sigil.mail;

import dev.sigil.audit.Audit;
import dev.sigil.config.SigilConfig;
import dev.sigil.error.Causes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends the outbox, on every replica: a timer claims due messages (a batch at a time, {@link Outbox#claim}),
 * sends each through Quarkus' reactive mailer, then deletes it, or schedules it again with exponential
 * back-off, or parks it as failed after {@code sigil.mail.max-attempts}. Each message is settled on its own,
 * so one that fails never holds the others back; an SMTP outage only makes messages wait (and, while it lasts,
 * one message probes the server now and then). Nothing here runs on a request: requests only write rows. Only one
 * pass runs at a time per replica.
 */
@ApplicationScoped
public class MailRelay {

    private final Outbox outbox;
    private final ReactiveMailer mailer;
    private final Engine templates;
    private final Audit audit;
    private final SigilConfig.Mail config;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestSeconds = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /** The longest pause between two probes of an unreachable SMTP server. */
    static final Duration MAX_PAUSE = Duration.ofMinutes(1);

    private final AtomicInteger outagePasses = new AtomicInteger();
    private volatile long resumeAt = System.nanoTime();
    private volatile long timer = -1;
    private volatile boolean stopped;

    public MailRelay(Outbox outbox, ReactiveMailer mailer, Engine templates, Audit audit, SigilConfig config, Vertx vertx) {
        this.outbox = outbox;
        this.mailer = mailer;
        this.templates = templates;
        this.audit = audit;
        this.config = config.mail();
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event, MeterRegistry registry,
               @ConfigProperty(name = "quarkus.mailer.from") Optional<String> from,
               @ConfigProperty(name = "quarkus.mailer.mock") Optional<Boolean> mock) {
        if (from.isEmpty()) {
            // Not a start-up refusal: a deployment without mail still serves logins. Its mails fail, are retried,
            // and are parked after sigil.mail.max-attempts.
            Log.warn("quarkus.mailer.from (QUARKUS_MAILER_FROM) is not set: reset and verification mails cannot be sent "
                    + "(docs/account-recovery.md)");
        }
        if (mock.orElse(false) && LaunchMode.current() == LaunchMode.NORMAL) {
            Log.warn("quarkus.mailer.mock is on: mails are logged, not sent");
        }
        Gauge.builder("sigil.mail.queue.depth", pending, AtomicLong::get).description("Mails waiting in the outbox").register(registry);
        Gauge.builder("sigil.mail.queue.oldest.seconds", oldestSeconds, AtomicLong::get)
                .description("Age of the oldest mail waiting in the outbox").register(registry);
        Gauge.builder("sigil.mail.parked", failed, AtomicLong::get).description("Mails given up on (state failed)").register(registry);
        timer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> tick());
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void tick() {
        if (stopped || !running.compareAndSet(false, true)) {
            return;
        }
        drain().eventually(() -> running.set(false))
                .subscribe().with(n -> { }, e -> Log.warnf("Mail relay pass failed: %s", e.getMessage()));
    }

    /**
     * Claims and sends batches until one comes back short, then refreshes the gauges. Returns the number of
     * messages handled. Public for the tests, which call it instead of waiting for the timer.
     */
    public Uni<Integer> drain() {
        Uni<Integer> pass = resumeAt - System.nanoTime() > 0 ? Uni.createFrom().item(0) : drainFrom(0);
        return pass.call(n -> outbox.depth().invoke(d -> {
            pending.set(d.pending());
            oldestSeconds.set(d.oldestSeconds());
            failed.set(d.failed());
        }));
    }

    /**
     * One batch after another. While SMTP is unreachable the relay probes with one message per pass and pauses
     * between passes (back-off, at most {@link #MAX_PAUSE}), instead of failing every queued message at every
     * tick: a thousand queued mails then cost a connection attempt now and then, not thousands a second beside
     * the logins. A message SMTP rejects is that message's failure, not an outage, and pauses nothing.
     */
    private Uni<Integer> drainFrom(int handled) {
        int limit = outagePasses.get() > 0 ? 1 : config.batchSize();
        return outbox.claim(limit, config.lease()).flatMap(batch -> {
            if (batch.isEmpty()) {
                return Uni.createFrom().item(handled);
            }
            int total = handled + batch.size();
            return sendAll(batch).flatMap(outcomes -> {
                if (outcomes.contains(Outcome.SENT)) {
                    outagePasses.set(0);
                } else if (outcomes.contains(Outcome.UNREACHABLE)) {
                    Duration pause = backOff(outagePasses.incrementAndGet());
                    resumeAt = System.nanoTime() + (pause.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause).toNanos();
                    return Uni.createFrom().item(total);
                }
                return batch.size() < limit || stopped ? Uni.createFrom().item(total) : drainFrom(total);
            });
        });
    }

    private Uni<List<Outcome>> sendAll(List<Outbox.Claimed> batch) {
        return Multi.createFrom().iterable(batch)
                .onItem().transformToUni(this::deliver).merge(config.concurrency())
                .collect().asList();
    }

    /** How one message went. */
    enum Outcome { SENT, FAILED, UNREACHABLE }

    /** Sends one message and settles its row; never fails (a failure is recorded on the row). */
    private Uni<Outcome> deliver(Outbox.Claimed m) {
        return Uni.createFrom().deferred(() -> mailer.send(render(m)))
                .ifNoItem().after(config.sendTimeout()).failWith(() -> new TimeoutException("no answer from SMTP within " + config.sendTimeout()))
                .onItemOrFailure().transformToUni((x, e) -> {
                    if (e == null) {
                        audit.count("mail", "sent");
                        return outbox.sent(m.id()).replaceWith(Outcome.SENT);
                    }
                    Outcome outcome = unreachable(e) ? Outcome.UNREACHABLE : Outcome.FAILED;
                    String error = e.getClass().getSimpleName() + ": " + e.getMessage();
                    if (m.attempts() >= config.maxAttempts() || e instanceof UnknownTemplate) {
                        audit.event("mail", "failed").with("message_id", m.messageId()).with("attempts", m.attempts())
                                .with("error", e.getClass().getSimpleName()).warn().log();
                        return outbox.park(m.id(), error).replaceWith(outcome);
                    }
                    audit.count("mail", "retried");
                    return outbox.retryLater(m.id(), backOff(m.attempts()), error).replaceWith(outcome);
                })
                .onFailure().recoverWithItem(e -> {
                    // The row could not be settled (PostgreSQL down): its lease makes it due again later.
                    Log.debugf("Mail %s not settled: %s", m.messageId(), e.getMessage());
                    return Outcome.FAILED;
                });
    }

    /** SMTP could not be reached or did not answer (as opposed to an answer that refused this message). */
    static boolean unreachable(Throwable e) {
        return Causes.chain(e).anyMatch(t -> t instanceof ConnectException || t instanceof TimeoutException
                || t instanceof UnknownHostException || t instanceof ClosedChannelException || t instanceof NoRouteToHostException);
    }

    /** The wait after {@code attempts} failed attempts: base, 2 x base, ... capped at retry-max. */
    Duration backOff(int attempts) {
        return backOff(attempts, config.retryBase(), config.retryMax());
    }

    static Duration backOff(int attempts, Duration base, Duration max) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 30);
        Duration d = base.multipliedBy(1L << doublings);
        return d.compareTo(max) > 0 ? max : d;
    }

    private Mail render(Outbox.Claimed m) {
        MailTemplate t = MailTemplate.of(m.template()).orElseThrow(() -> new UnknownTemplate(m.template()));
        JsonObject params = m.params() == null ? new JsonObject() : m.params();
        String text = render("mail/" + t.file + ".txt", params);
        String html = render("mail/" + t.file + ".html", params);
        return Mail.withText(m.recipient(), t.subject, text).setHtml(html).addHeader("Message-ID", m.messageId());
    }

    private String render(String path, JsonObject params) {
        TemplateInstance instance = templates.getTemplate(path).instance();
        params.forEach(e -> instance.data(e.getKey(), e.getValue()));
        return instance.render();
    }

    /** A row naming a template this release does not have: parked at once, retrying cannot help. */
    static final class UnknownTemplate extends RuntimeException {
        UnknownTemplate(String name) {
            super("no mail template " + name);
        }
    }
}
