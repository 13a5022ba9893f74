package latchkey.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import latchkey.db.Constraints;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionException;

/**
 * The one mapping from exceptions to responses: an {@link ApiException} becomes its problem
 * document; Javalin's own HTTP errors become the matching code of the contract; a database that
 * can not be reached (PostgreSQL down or restarting) is 503 {@code unavailable}; anything else is
 * a bug, logged with the request id and answered with a bare 500.
 */
public final class Problems {
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    static final String REALM = "Bearer realm=\"latchkey\"";

    private Problems() {
    }

    public static void install(JavalinConfig config) {
        config.routes.exception(Exception.class, Problems::handle);
        // Statuses set without an exception (Javalin's 404 for unknown paths, 405s) get the same body.
        for (int status : new int[]{400, 404, 405, 413, 415, 500}) {
            config.routes.error(status, ctx -> {
                if (!isProblem(ctx)) write(ctx, fromStatus(status));
            });
        }
    }

    private static void handle(Exception thrown, Context ctx) {
        // A failed future (bcrypt work) arrives wrapped; what it wraps is the real error.
        Throwable e = thrown instanceof CompletionException && thrown.getCause() != null ? thrown.getCause() : thrown;
        if (e instanceof ApiException api) {
            write(ctx, api);
        } else if (e instanceof HttpResponseException http) {
            if (http.getStatus() == 405) allow(ctx, http);
            write(ctx, fromStatus(http.getStatus()));
        } else if (Constraints.isUnreachable(e)) {
            LOG.warn("the database is unreachable on {} {} (request {}): {}", ctx.method(), ctx.path(), RequestIds.of(ctx), e.getClass().getSimpleName());
            write(ctx, ApiException.unavailable("The database does not answer; try again shortly."));
        } else {
            LOG.error("unexpected error on {} {} (request {})", ctx.method(), ctx.path(), RequestIds.of(ctx), e);
            write(ctx, ApiException.internalError());
        }
    }

    /** A 405 names the methods the path does accept (Javalin found them while routing). */
    private static void allow(Context ctx, HttpResponseException e) {
        String methods = String.join(", ", e.getDetails().values());
        if (!methods.isEmpty()) ctx.header("Allow", methods);
    }

    public static void write(Context ctx, ApiException e) {
        ctx.status(e.status());
        if (e.status() == 401) {
            ctx.header("WWW-Authenticate", e.tokenSent() ? REALM + ", error=\"invalid_token\"" : REALM);
        }
        if (e.retryAfterSeconds() != null) ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        ctx.contentType(Problem.CONTENT_TYPE);
        ctx.result(toJson(Problem.of(e)));
    }

    public static String toJson(Problem problem) {
        try {
            return Json.MAPPER.writeValueAsString(problem);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(Problem.CONTENT_TYPE);
    }

    /** The contract's error for an HTTP status that the framework chose. */
    public static ApiException fromStatus(int status) {
        return switch (status) {
            case 400 -> ApiException.badRequest("The request could not be understood.");
            case 404 -> ApiException.notFound("There is nothing at this path.");
            case 405 -> ApiException.methodNotAllowed("This path does not accept this method.");
            case 413 -> ApiException.payloadTooLarge();
            case 415 -> ApiException.unsupportedMediaType();
            case 431 -> ApiException.headersTooLarge();
            case 401 -> ApiException.missingToken();
            case 403 -> ApiException.forbidden("Not allowed.");
            case 503 -> ApiException.unavailable("The server is not taking requests right now; try again shortly.");
            // The body's status must be the response's: any other status keeps its number.
            default -> status == 500 || status < 400 ? ApiException.internalError() : ApiException.httpError(status, HttpStatus.getMessage(status));
        };
    }
}
