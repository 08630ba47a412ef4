package dev.sigil.error;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A declared body over {@code quarkus.http.limits.max-body-size} is refused before any resource runs,
 * with the same problem+json shape as every other error (the framework's own 413 has no body).
 * A chunked body without Content-Length that grows past the limit still gets the framework's bare 413.
 */
@ApplicationScoped
public class PayloadTooLarge {

    void install(@Observes Router router,
                 @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) throws Exception {
        long max = limit.asLongValue();
        String body = new ObjectMapper().writeValueAsString(Problem.of(ErrorCode.PAYLOAD_TOO_LARGE,
                "The request body exceeds " + (max / 1024) + " KiB"));
        router.route().order(-1000).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && tooLong(length, max)) {
                ctx.response().setStatusCode(413)
                        .putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Cache-Control", "no-store")
                        .putHeader("Connection", "close")
                        .end(body);
                return;
            }
            ctx.next();
        });
    }

    private static boolean tooLong(String length, long max) {
        try {
            return Long.parseLong(length.trim()) > max;
        } catch (NumberFormatException e) {
            return false; // Vert.x itself rejects a malformed Content-Length
        }
    }
}
