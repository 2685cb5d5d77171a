package dev.cifar.function;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Answers every failed HTTP request with a JSON body and no stack trace: a
 * {@link BadRequestException} or malformed JSON becomes a 400 naming the problem, a body over
 * the limit a 413, an unknown function a 404; anything unexpected a 500 with a generic message
 * (logged here with its cause).
 */
@ApplicationScoped
public class ErrorResponses {

    private static final Logger LOG = Logger.getLogger(ErrorResponses.class);

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
        router.route().last().handler(ctx -> ctx.fail(404));
    }

    private void handle(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        Throwable failure = ctx.failure();
        int status = ctx.statusCode();
        String message;
        if (failure instanceof BadRequestException || failure != null && failure.getCause() instanceof BadRequestException) {
            status = 400;
            message = failure instanceof BadRequestException ? failure.getMessage() : failure.getCause().getMessage();
        } else if (failure != null) {
            status = 500;
            message = "internal error";
            LOG.error("Request to " + ctx.request().path() + " failed", failure);
        } else {
            message = switch (status) {
                case 400 -> "the request body is not valid JSON for this function, or a field has the wrong type";
                case 404 -> "no function at " + ctx.request().path() + ": use /predict, /predictBatch or /model";
                case 405 -> "use POST (or GET for /model)";
                case 413 -> "the request body is larger than the limit (quarkus.http.limits.max-body-size)";
                default -> "request failed";
            };
            if (status < 400) {
                status = 500;
            }
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("error", message).put("status", status).encode());
    }
}
