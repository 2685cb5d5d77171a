package dev.cifar.function;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cifar.classifier.ClassifierBusyException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Answers every failed HTTP request with a JSON body and no stack trace: a {@link
 * BadRequestException} or malformed JSON becomes a 400 naming the problem, a body over the limit a
 * 413, a body that is neither JSON nor an upload ({@link Uploads}) a 415, an unknown function a
 * 404, a model too busy to start within the request timeout a 503; anything unexpected a 500 with a
 * generic message (logged here with its cause).
 */
@ApplicationScoped
public class ErrorResponses {

  private static final Logger LOG = Logger.getLogger(ErrorResponses.class);

  private final ObjectMapper mapper;

  ErrorResponses(ObjectMapper mapper) {
    this.mapper = mapper;
  }

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
    Throwable cause = failure != null && failure.getCause() != null ? failure.getCause() : failure;
    if (failure instanceof BadRequestException || cause instanceof BadRequestException) {
      BadRequestException bad =
          (BadRequestException) (failure instanceof BadRequestException ? failure : cause);
      status = bad.status();
      message = bad.getMessage();
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
            case 400 -> unreadableBody(ctx);
            case 404 ->
                ctx.request().path().startsWith("/v2")
                    ? "no route at "
                        + ctx.request().path()
                        + ": the Open Inference Protocol's routes are /v2, /v2/health/live,"
                        + " /v2/health/ready, /v2/models/{name}[/versions/{version}], .../ready"
                        + " and .../infer"
                    : "no function at "
                        + ctx.request().path()
                        + ": use /predict, /predictBatch or /model";
            case 405 -> "use POST (or GET for /model)";
            case 413 ->
                "the request body is larger than the limit (quarkus.http.limits.max-body-size)";
            case 415 ->
                "send the request body as JSON with Content-Type: application/json, or to"
                    + " /predict an image (image/png, image/jpeg, image/gif, image/bmp or"
                    + " application/octet-stream), or to /predict and /predictBatch"
                    + " multipart/form-data with image files";
            default -> "request failed";
          };
      if (status < 400) {
        status = 500;
      }
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(
            ctx.request().path().startsWith("/v2")
                ? new JsonObject().put("error", message).encode() // the protocol's error object
                : new JsonObject().put("error", message).put("status", status).encode());
  }

  /**
   * Funqy answers a body it cannot bind with a bare 400; reading it again with the same strict
   * mapper names the field to blame.
   */
  private String unreadableBody(RoutingContext ctx) {
    String path = ctx.request().path();
    Class<?> type =
        "/predict".equals(path)
            ? PredictRequest.class
            : "/predictBatch".equals(path) ? BatchRequest.class : null;
    Buffer body = ctx.body() == null ? null : ctx.body().buffer();
    if (type != null && body != null && body.length() > 0) {
      try {
        StrictJson.read(
            mapper, body.getBytes(), type, type == PredictRequest.class ? "request" : "");
      } catch (BadRequestException e) {
        return e.getMessage();
      }
    }
    return "the request body is not valid JSON for this function, or a field has the wrong type";
  }
}
