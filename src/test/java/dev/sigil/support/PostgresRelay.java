package dev.sigil.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Relays TCP from a free local port to the test run's PostgreSQL (TestServers), so that a test can cut one Sigil instance off
 * from the database ({@link #cut()}) and give it back ({@link #restore()}) without touching the shared server.
 * Declare it with {@code @WithTestResource(value = PostgresRelay.class, scope = MATCHING_RESOURCES)}: it points the
 * reactive datasource at the relay, and every test class that declares it shares one Sigil boot and one relay,
 * so a test that cuts it restores it afterwards ({@code @AfterEach}).
 */
public class PostgresRelay implements QuarkusTestResourceLifecycleManager {
    private static volatile ServerSocket listening;
    private static volatile boolean down;
    private static final List<Socket> OPEN = new CopyOnWriteArrayList<>();

    @Override
    public Map<String, String> start() {
        java.net.URI target = TestServers.postgres();
        ServerSocket server;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        listening = server;
        down = false;
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    if (down) {
                        close(client); // the database is unreachable: every new connection ends at once
                        continue;
                    }
                    Socket db = new Socket(target.getHost(), target.getPort());
                    OPEN.add(client);
                    OPEN.add(db);
                    pipe(client, db);
                    pipe(db, client);
                } catch (IOException e) {
                    // closed by stop(), or one connection failed: the client sees a closed connection
                }
            }
        }, "pg-relay");
        acceptor.setDaemon(true);
        acceptor.start();
        String url = "postgresql://127.0.0.1:" + server.getLocalPort() + target.getPath();
        return Map.of("quarkus.datasource.reactive.url", url, "%test.quarkus.datasource.reactive.url", url);
    }

    private static void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // connection cut
            } finally {
                close(from);
                close(to);
            }
        }, "pg-relay-pipe");
        t.setDaemon(true);
        t.start();
    }

    /** PostgreSQL is gone for this instance: new connections are closed at once, open ones are closed. */
    public static synchronized void cut() {
        down = true;
        OPEN.forEach(PostgresRelay::close);
        OPEN.clear();
    }

    /** PostgreSQL is back (the same address all along: the relay keeps listening). */
    public static synchronized void restore() {
        down = false;
    }

    private static void close(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void stop() {
        cut();
        close(listening);
    }
}
