package dev.sigil.error;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A declared body over {@code quarkus.http.limits.max-body-size} is refused before any resource runs,
 * with the same problem+json shape as every other error (the framework's own 413 has no body).
 * A chunked body without Content-Length that grows past the limit still gets the framework's bare 413.
 */
@ApplicationScoped
public class PayloadTooLarge {

    private static final String LIMIT = "quarkus.http.limits.max-body-size";

    void install(@Observes Router router,
                 @ConfigProperty(name = LIMIT) MemorySize limit) throws Exception {
        long max = limit.asLongValue();
        String body = new ObjectMapper().writeValueAsString(Problem.of(ErrorCode.PAYLOAD_TOO_LARGE, detail(max)));
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

    /** The 413 detail for a limit of {@code max} bytes, in the largest unit that divides it. */
    static String detail(long max) {
        String size = max % (1024 * 1024) == 0 ? max / (1024 * 1024) + " MiB"
                : max % 1024 == 0 ? max / 1024 + " KiB" : max + " bytes";
        return "The request body exceeds " + size;
    }

    /** The 413 detail for the configured {@code quarkus.http.limits.max-body-size}. */
    static String detail() {
        return detail(ConfigProvider.getConfig().getValue(LIMIT, MemorySize.class).asLongValue());
    }

    private static boolean tooLong(String length, long max) {
        try {
            return Long.parseLong(length.trim()) > max;
        } catch (NumberFormatException e) {
            return false; // Vert.x itself rejects a malformed Content-Length
        }
    }
}
