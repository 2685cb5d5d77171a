package dev.cifar.function.knative;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cifar.function.BadRequestException;
import dev.cifar.function.BatchRequest;
import dev.cifar.function.PredictFunctions;
import dev.cifar.function.PredictRequest;
import dev.cifar.function.StrictJson;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Knative Eventing binding ({@code -Pknative}): CloudEvents 1.0 posted to {@code /}, in binary
 * mode ({@code ce-*} headers, JSON data as body) or structured mode ({@code
 * application/cloudevents+json}). {@code ce-type} names the function ({@code predict}, {@code
 * predictBatch}, {@code model}); the reply is a binary-mode event of type {@code
 * <function>.output}. Errors are answered like the HTTP binding's.
 */
@ApplicationScoped
public class CloudEventsRoute {

  /** The {@code ce-source} of replies. */
  static final String SOURCE = "/cifar/function";

  private final PredictFunctions functions;
  private final ObjectMapper mapper;
  private final long bodyLimit;

  CloudEventsRoute(
      PredictFunctions functions,
      ObjectMapper mapper,
      @ConfigProperty(name = "cifar.max-event-bytes", defaultValue = "33554432") long bodyLimit) {
    this.functions = functions;
    this.mapper = mapper;
    this.bodyLimit = bodyLimit;
  }

  void install(@Observes Router router) {
    router
        .post("/")
        .handler(BodyHandler.create().setBodyLimit(bodyLimit))
        .blockingHandler(this::handle, false);
  }

  private void handle(RoutingContext ctx) {
    MultiMap headers = ctx.request().headers();
    String contentType = headers.get("content-type");
    Buffer body = ctx.body().buffer();
    String type;
    String id;
    String data;
    if (contentType != null && contentType.startsWith("application/cloudevents+json")) {
      JsonObject event;
      try {
        event = body == null ? null : body.toJsonObject();
      } catch (RuntimeException e) {
        event = null;
      }
      if (event == null) {
        throw new BadRequestException("the structured CloudEvent is not a JSON object");
      }
      type = event.getString("type");
      id = event.getString("id");
      Object payload = event.getValue("data");
      data = payload == null ? null : io.vertx.core.json.Json.encode(payload);
    } else {
      type = headers.get("ce-type");
      id = headers.get("ce-id");
      data = body == null ? null : body.toString();
    }
    if (type == null || id == null) {
      throw new BadRequestException(
          "not a CloudEvent: ce-id and ce-type are required"
              + " (ce-type is predict, predictBatch or model)");
    }
    Object reply =
        switch (type) {
          case "predict" -> functions.predict(read(data, PredictRequest.class));
          case "predictBatch" -> functions.predictBatch(read(data, BatchRequest.class));
          case "model" -> functions.model();
          default ->
              throw new BadRequestException(
                  "unknown ce-type '" + type + "': use predict, predictBatch or model");
        };
    String json;
    try {
      json = mapper.writeValueAsString(reply);
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot write the reply of " + type, e);
    }
    ctx.response()
        .putHeader("ce-id", UUID.randomUUID().toString())
        .putHeader("ce-specversion", "1.0")
        .putHeader("ce-source", SOURCE)
        .putHeader("ce-type", type + ".output")
        .putHeader("Content-Type", "application/json")
        .end(json);
  }

  private <T> T read(String data, Class<T> type) {
    if (data == null || data.isBlank()) {
      return null;
    }
    return StrictJson.read(mapper, data.getBytes(StandardCharsets.UTF_8), type, "data");
  }
}
