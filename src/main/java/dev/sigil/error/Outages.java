package dev.sigil.error;

import io.smallrye.mutiny.Uni;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Recognises "the dependency is not there" failures so they become 503, never 500. */
public final class Outages {

    private Outages() {
    }

    /** True when the cause chain shows a refused, closed, reset or timed-out connection. */
    public static boolean isConnectivity(Throwable e) {
        for (Throwable t : (Iterable<Throwable>) Causes.chain(e)::iterator) {
            if (t instanceof ConnectException || t instanceof ClosedChannelException
                    || t instanceof TimeoutException || t instanceof java.io.IOException
                    || t instanceof io.vertx.core.http.ConnectionPoolTooBusyException) {
                return true;
            }
            String name = t.getClass().getName();
            // Vert.x reports closed/refused pooled connections with these types (no stable superclass).
            if (name.endsWith("NoStackTraceThrowable") || name.endsWith("ClosedConnectionException")
                    || name.endsWith("ConnectionPoolTooBusyException") || name.contains("NoStackTraceTimeoutException")) {
                return true;
            }
        }
        return false;
    }

    /** Use with {@code onFailure().transform(...)}: connectivity failures of {@code dependency} become 503; bugs stay bugs. */
    public static Function<Throwable, Throwable> of(String dependency) {
        return e -> e instanceof SigilException || !isConnectivity(e) ? e : new DependencyUnavailableException(dependency, e);
    }

    /** A call to {@code dependency} whose connectivity failures answer 503. */
    public static <T> Uni<T> guard(String dependency, Uni<T> call) {
        return call.onFailure().transform(of(dependency));
    }
}
