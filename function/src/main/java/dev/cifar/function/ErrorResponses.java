package dev.cifar.function;

import dev.cifar.classifier.ClassifierBusyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Answers every failed HTTP request with a JSON body and no stack trace: a {@link
 * BadRequestException} or malformed JSON becomes a 400 naming the problem, a body over the limit a
 * 413, a body that is not JSON a 415, an unknown function a 404, a model too busy to start within
 * the request timeout a 503; anything unexpected a 500 with a generic message (logged here with its
 * cause).
 */
@ApplicationScoped
public class ErrorResponses {

  private static final Logger LOG = Logger.getLogger(ErrorResponses.class);

  void install(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE).failureHandler(this::handle);
    router.route().order(Integer.MIN_VALUE).handler(ErrorResponses::requireJson);
    router.route().last().handler(ctx -> ctx.fail(404));
  }

  /** A POST body must be JSON (or a CloudEvent): anything else is a 415, not a guess. */
  private static void requireJson(RoutingContext ctx) {
    if (ctx.request().method() == HttpMethod.POST) {
      String type = ctx.request().getHeader("Content-Type");
      String mime =
          type == null ? "" : type.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
      if (!mime.equals("application/json") && !mime.equals("application/cloudevents+json")) {
        ctx.fail(415);
        return;
      }
    }
    ctx.next();
  }

  private void handle(RoutingContext ctx) {
    if (ctx.response().ended()) {
      return;
    }
    Throwable failure = ctx.failure();
    int status = ctx.statusCode();
    String message;
    Throwable cause = failure != null && failure.getCause() != null ? failure.getCause() : failure;
    if (failure instanceof BadRequestException || cause instanceof BadRequestException) {
      status = 400;
      message = failure instanceof BadRequestException ? failure.getMessage() : cause.getMessage();
    } else if (failure instanceof ClassifierBusyException
        || cause instanceof ClassifierBusyException) {
      status = 503;
      message =
          "the model is busy: no forward pass could start within the request timeout; retry shortly";
      ctx.response().putHeader("Retry-After", "1");
    } else if (failure != null) {
      status = 500;
      message = "internal error";
      LOG.error("Request to " + ctx.request().path() + " failed", failure);
    } else {
      message =
          switch (status) {
            case 400 ->
                "the request body is not valid JSON for this function, or a field has the wrong type";
            case 404 ->
                "no function at "
                    + ctx.request().path()
                    + ": use /predict, /predictBatch or /model";
            case 405 -> "use POST (or GET for /model)";
            case 413 ->
                "the request body is larger than the limit (quarkus.http.limits.max-body-size)";
            case 415 -> "send the request body as JSON with Content-Type: application/json";
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
