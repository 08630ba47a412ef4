package dev.sigil.devsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * One redis-server from the PATH per JVM, on a free port, without persistence, killed by a shutdown hook.
 * Like {@link LocalPostgres}, the running server's port is kept in a system property shared by every class loader.
 */
public final class LocalRedis {

    static final String PORT_PROPERTY = "dev.sigil.devsupport.redis-port";
    static final String MISSING = "No Redis configured (quarkus.redis.hosts) and no redis-server on the PATH to start one: "
            + "install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis), "
            + "or point Sigil at a Redis with QUARKUS_REDIS_HOSTS=redis://host:6379";

    private LocalRedis() {
    }

    /** Starts the server unless this JVM already has one, and waits until it answers PING. */
    public static int port() {
        synchronized (System.getProperties()) { // JVM-wide, see LocalPostgres
            String running = System.getProperty(PORT_PROPERTY);
            if (running != null) {
                return Integer.parseInt(running);
            }
            int port = freePort();
            Process process;
            try {
                process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--save", "", "--appendonly", "no", "--daemonize", "no")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                throw new IllegalStateException(MISSING, e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process), "redis-server-stop"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!answers(port)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    stop(process);
                    throw new IllegalStateException("redis-server on port " + port + " did not come up");
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while starting redis-server", e);
                }
            }
            System.setProperty(PORT_PROPERTY, Integer.toString(port));
            org.jboss.logging.Logger.getLogger(LocalRedis.class).infof(
                    "Started redis-server on 127.0.0.1:%d; stopped when this JVM exits", port);
            return port;
        }
    }

    private static void stop(Process process) {
        process.destroy(); // SIGTERM: redis-server exits at once without persistence
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port for redis-server", e);
        }
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = new byte[5];
            return in.readNBytes(reply, 0, 5) == 5 && "+PONG".equals(new String(reply, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }
}
