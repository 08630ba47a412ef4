package dev.sigil.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/**
 * The one place where failures become HTTP answers: problem+json with a stable code, RFC 6750
 * challenges for bearer failures, and never a stack trace, class name or input echo.
 */
public class ProblemMapper {

    /** Outage lines: one per dependency per 10 s, with a count of those held back. */
    private static final LogSummary OUTAGE_LINES = new LogSummary(java.time.Duration.ofSeconds(10));

    @ServerExceptionMapper
    public Response sigil(SigilException e) {
        if (e instanceof DependencyUnavailableException d) {
            logOutage(d);
        }
        Response.ResponseBuilder r = base(e.code, e.getMessage());
        if (e.retryAfterSeconds > 0) {
            r.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds);
        }
        if (e.code == ErrorCode.INVALID_TOKEN) {
            r.header(HttpHeaders.WWW_AUTHENTICATE, BearerChallenge.invalidToken(e.getMessage()));
        }
        e.headers().forEach(r::header);
        return r.build();
    }

    /** One WARN line naming the dependency, at most one per dependency per 10 s (a count of those held back). */
    private static void logOutage(DependencyUnavailableException d) {
        long heldBack = OUTAGE_LINES.admit(d.dependency, System.nanoTime());
        if (heldBack >= 0) {
            Log.warnf("%s unavailable: %s (%d more such answers since the previous line; at most one line per 10 s)",
                    d.dependency, rootMessage(d), heldBack);
        }
    }

    /** RFC 6749 section 5.2, for the /oauth2/* endpoints only: JSON {@code error}, {@code error_description}. */
    @ServerExceptionMapper
    public Response oauth(OAuthError e) {
        if (e.outage() != null) {
            // The same line as problem+json answers: it names the dependency ("a backing service" named none).
            logOutage(e.outage());
        }
        Response.ResponseBuilder r = Response.status(e.status)
                .type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("Pragma", "no-cache")
                .entity(java.util.Map.of("error", e.error, "error_description", e.getMessage()));
        if (e.status == 401) {
            r.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"sigil\"");
        }
        if (e.retryAfterSeconds > 0) {
            r.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds);
        }
        return r.build();
    }

    /** No credentials at all: a bare challenge (RFC 6750 section 3.1). */
    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return base(ErrorCode.UNAUTHORIZED, "This endpoint requires a bearer access token")
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }

    /** A token was presented but did not pass verification or a revocation check. */
    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        DependencyUnavailableException outage = find(e, DependencyUnavailableException.class);
        if (outage != null) {
            return sigil(outage);
        }
        String description = BearerChallenge.describe(e);
        return base(ErrorCode.INVALID_TOKEN, description)
                .header(HttpHeaders.WWW_AUTHENTICATE, BearerChallenge.invalidToken(description)).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return base(ErrorCode.FORBIDDEN, "The access token lacks the role this endpoint requires")
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\"").build();
    }

    @ServerExceptionMapper
    public Response constraints(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .map(v -> lastNode(v.getPropertyPath().toString()) + " " + v.getMessage())
                .sorted().collect(Collectors.joining("; "));
        return base(ErrorCode.VALIDATION_FAILED, detail.isEmpty() ? "The request is invalid" : detail).build();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return base(ErrorCode.VALIDATION_FAILED, jsonDetail(e)).build();
    }

    /** Declared separately so it takes precedence over quarkus-rest-jackson's own mapper, which echoes the input. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        JsonProcessingException json = find(e, JsonProcessingException.class);
        if (json != null) {
            return json(json);
        }
        int status = e.getResponse().getStatus();
        if (status < 500 && uri != null && uri.getPath().startsWith("/oauth2/")) {
            // The framework refused the request (method, media type) before the resource ran: still RFC 6749 there.
            return oauth(new OAuthError("invalid_request", status, "The request is not a POST with a form body", 0));
        }
        ErrorCode code = switch (status) {
            case 400 -> ErrorCode.VALIDATION_FAILED;
            case 401 -> ErrorCode.UNAUTHORIZED;
            case 403 -> ErrorCode.FORBIDDEN;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 406 -> ErrorCode.NOT_ACCEPTABLE;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 500 ? ErrorCode.INTERNAL_ERROR : ErrorCode.VALIDATION_FAILED;
        };
        String detail = switch (code) {
            case UNSUPPORTED_MEDIA_TYPE -> "Send the body as application/json";
            case NOT_FOUND -> "No such resource";
            case METHOD_NOT_ALLOWED -> "This method is not allowed on this resource";
            case PAYLOAD_TOO_LARGE -> PayloadTooLarge.detail();
            case VALIDATION_FAILED -> "The request is malformed";
            default -> code.title;
        };
        if (code == ErrorCode.INTERNAL_ERROR) {
            Log.error("Request failed", e);
        }
        return base(code, detail).build();
    }

    /** Anything else: a dependency outage if the cause says so, otherwise a bug (logged, never shown). */
    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        DependencyUnavailableException outage = find(e, DependencyUnavailableException.class);
        if (outage != null) {
            return sigil(outage);
        }
        if (Outages.isConnectivity(e)) {
            // Every Redis call passes through Outages.redis; what arrives here unwrapped is the PostgreSQL
            // session or transaction the framework opens (@WithSession), e.g. the pool's bare "Timeout" when
            // sigil.postgresql.acquire-timeout passes.
            return sigil(new DependencyUnavailableException("postgresql", e));
        }
        Log.error("Unexpected failure", e);
        return base(ErrorCode.INTERNAL_ERROR, "The request could not be processed").build();
    }

    static Response.ResponseBuilder base(ErrorCode code, String detail) {
        return Response.status(code.status)
                .type(Problem.MEDIA_TYPE)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .entity(Problem.of(code, detail));
    }

    private static String jsonDetail(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "Unknown field '" + clip(u.getPropertyName()) + "'";
        }
        if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
            String path = m.getPath().stream()
                    .map(r -> r.getFieldName() != null ? clip(r.getFieldName()) : String.valueOf(r.getIndex()))
                    .collect(Collectors.joining("."));
            return "Field '" + path + "' has the wrong type or shape";
        }
        if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
            return "The request body repeats a field";
        }
        return "The request body is not valid JSON";
    }

    /** "login.body.username" becomes "username"; a missing body is named "body". */
    private static String lastNode(String path) {
        String[] parts = path.split("\\.");
        return parts.length >= 3 ? parts[parts.length - 1] : "body";
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = Causes.root(e);
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    static <T extends Throwable> T find(Throwable e, Class<T> type) {
        return Causes.find(e, type);
    }
}
