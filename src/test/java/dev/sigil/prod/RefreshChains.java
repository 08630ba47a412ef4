package dev.sigil.prod;

import dev.sigil.support.Poll;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Refresh chains as browsers behind a load balancer run them: each chain holds one refresh token and
 * sends every refresh to the next Sigil replica in turn. A 503 (which must carry Retry-After) is
 * retried with the same token; a replica that does not answer at all is skipped, and the request goes
 * to the other one with the same token (the grace period makes that safe). Anything else is an error.
 */
final class RefreshChains {

    static final String COOKIE = "__Secure-refresh_token";

    final List<ProdProcess> replicas;
    final List<String> tokens;
    final AtomicInteger rotations = new AtomicInteger();

    /** Waits (polling, with a deadline) until the load has made {@code n} rotations: the moment to break something. */
    void awaitRotations(int n) {
        Poll.until(n + " rotations", java.time.Duration.ofSeconds(60), java.time.Duration.ofMillis(10), () -> rotations.get() >= n);
    }
    final AtomicInteger unavailable = new AtomicInteger();
    final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    /** Every refresh token ever issued to a chain: exactly one successor per rotation means no value repeats. */
    final Set<String> issued = Collections.synchronizedSet(new HashSet<>());
    /** Set by {@link #stop()}: the chains end before their duration, once the test has seen what it waits for. */
    private final AtomicBoolean stopped = new AtomicBoolean();

    RefreshChains(List<ProdProcess> replicas, List<String> tokens) {
        this.replicas = replicas;
        this.tokens = Collections.synchronizedList(new ArrayList<>(tokens));
        issued.addAll(tokens);
    }

    static String cookieOf(HttpResponse<String> r) {
        Optional<String> set = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(COOKIE + "=")).findFirst();
        return set.map(c -> c.substring(COOKIE.length() + 1, c.indexOf(';'))).orElse(null);
    }

    static HttpResponse<String> refresh(ProdProcess p, String token) throws IOException, InterruptedException {
        return ProdProcess.HTTP.send(HttpRequest.newBuilder(URI.create(p.url("/refresh-token")))
                .timeout(Duration.ofSeconds(10))
                .header("Cookie", COOKIE + "=" + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Ends the chains now (each after its request in flight); {@link #run} then returns. */
    void stop() {
        stopped.set(true);
    }

    /** Runs every chain for {@code duration}, or until {@link #stop()}; returns when all have stopped. */
    void run(Duration duration) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(tokens.size());
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            int chain = i;
            done.add(pool.submit(() -> {
                chain(chain, end);
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
        }
        pool.shutdown();
    }

    private void chain(int chain, long end) throws InterruptedException {
        int next = chain;
        while (System.nanoTime() < end && !stopped.get()) {
            ProdProcess p = replicas.get(next++ % replicas.size());
            if (!p.process.isAlive()) {
                continue;
            }
            String token = tokens.get(chain);
            HttpResponse<String> r;
            try {
                r = refresh(p, token);
            } catch (IOException replicaGone) {
                continue; // the next try goes to the other replica, with the same token
            }
            if (r.statusCode() == 200) {
                String successor = cookieOf(r);
                if (successor == null || successor.isEmpty()) {
                    errors.add("chain " + chain + ": 200 without a cookie");
                    return;
                }
                if (!successor.equals(token)) {
                    rotations.incrementAndGet();
                    if (!issued.add(successor)) {
                        errors.add("chain " + chain + ": a successor was issued twice");
                    }
                }
                tokens.set(chain, successor);
            } else if (r.statusCode() == 503 && r.headers().firstValue("Retry-After").isPresent() && cookieOf(r) == null) {
                unavailable.incrementAndGet();
                Thread.sleep(100);
            } else {
                errors.add("chain " + chain + " on port " + p.port + ": " + r.statusCode() + " " + r.body()
                        + " cookie " + (cookieOf(r) == null ? "kept" : "cleared"));
                return;
            }
        }
    }
}
