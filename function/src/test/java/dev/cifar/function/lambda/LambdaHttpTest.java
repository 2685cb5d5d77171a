package dev.cifar.function.lambda;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cifar.function.SyntheticModel;
import dev.cifar.function.TestImages;
import dev.cifar.function.corpus.Form;
import dev.cifar.testing.SyntheticCifar;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs with {@code -Plambda}: API Gateway HTTP API events (payload format 2.0, as a Lambda Function
 * URL sends them too) posted raw to Quarkus' mock Lambda event server, answered by the function as
 * over plain HTTP: JSON predictions (the deployment's sample event among them), a raw image upload
 * and a form (base64 bodies), the Open Inference Protocol, and a bad request that stays a 400 with
 * its JSON error. The HTTP tests of every route run again through the same event server.
 */
@QuarkusTest
@WithTestResource(SyntheticModel.class)
class LambdaHttpTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An HTTP API event (payload format 2.0). */
  private static Map<String, Object> event(
      String method, String path, String query, String contentType, byte[] body, boolean binary) {
    Map<String, Object> http = new LinkedHashMap<>();
    http.put("method", method);
    http.put("path", path);
    http.put("protocol", "HTTP/1.1");
    http.put("sourceIp", "192.0.2.1");
    http.put("userAgent", "LambdaHttpTest");
    Map<String, Object> context = new LinkedHashMap<>();
    context.put("accountId", "123456789012");
    context.put("apiId", "cifar");
    context.put("domainName", "cifar.lambda-url.eu-west-1.on.aws");
    context.put("requestId", "request-1");
    context.put("routeKey", "$default");
    context.put("stage", "$default");
    context.put("timeEpoch", 1764633600000L);
    context.put("http", http);
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("version", "2.0");
    event.put("routeKey", "$default");
    event.put("rawPath", path);
    event.put("rawQueryString", query);
    event.put("headers", contentType == null ? Map.of() : Map.of("content-type", contentType));
    event.put("requestContext", context);
    if (body != null) {
      event.put(
          "body",
          binary
              ? Base64.getEncoder().encodeToString(body)
              : new String(body, StandardCharsets.UTF_8));
    }
    event.put("isBase64Encoded", binary);
    return event;
  }

  /** Posts an event to the mock event server and returns Lambda's answer to it. */
  private static JsonNode invoke(Map<String, Object> event) {
    String answer =
        given()
            .contentType(ContentType.JSON)
            .body(event)
            .post("/_lambda_")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    try {
      return JSON.readTree(answer);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + answer, e);
    }
  }

  /** The JSON body of Lambda's answer. */
  private static JsonNode body(JsonNode response) throws Exception {
    String body = response.path("body").asText();
    if (response.path("isBase64Encoded").asBoolean()) {
      body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
    }
    return JSON.readTree(body);
  }

  /** Posts a JSON body to a path as an HTTP API event and returns Lambda's answer. */
  private static JsonNode postJson(String path, byte[] json) {
    return invoke(event("POST", path, "", "application/json", json, false));
  }

  private static byte[] json(Object value) throws Exception {
    return JSON.writeValueAsBytes(value);
  }

  @Test
  void aJsonPredictionIsAnswered() throws Exception {
    JsonNode response =
        postJson("/predict", json(Map.of("image", TestImages.base64(0, "png", 32), "top", 2)));
    assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(200);
    assertThat(response.at("/headers/Content-Type").asText()).startsWith("application/json");
    JsonNode answer = body(response);
    assertThat(answer.path("label").asText()).isEqualTo(TestImages.label(0));
    assertThat(answer.path("top")).hasSize(2);
  }

  @Test
  void theDeploymentsSampleEventIsAnswered() throws Exception {
    Path sample = Path.of("..", "deploy", "aws", "events", "predict.json");
    JsonNode response =
        invoke(
            JSON.readValue(
                Files.readAllBytes(sample), new TypeReference<Map<String, Object>>() {}));
    assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(200);
    assertThat(body(response).path("label").asText()).isNotBlank();
  }

  @Test
  void aRawImageAndAFormAreAnsweredFromBase64Bodies() throws Exception {
    byte[] png = Base64.getDecoder().decode(TestImages.base64(1, "png", 48));
    JsonNode raw = invoke(event("POST", "/predict", "top=4", "image/png", png, true));
    assertThat(raw.path("statusCode").asInt()).as(raw.toString()).isEqualTo(200);
    assertThat(body(raw).path("label").asText()).isEqualTo(TestImages.label(1));
    assertThat(body(raw).path("top")).hasSize(4);

    byte[] form =
        Form.body(
            Form.file("a", "a.png", "image/png", png),
            Form.file("b", "b.png", "image/png", png),
            Form.field("top", "1"));
    JsonNode batch = invoke(event("POST", "/predictBatch", "", Form.CONTENT_TYPE, form, true));
    assertThat(batch.path("statusCode").asInt()).as(batch.toString()).isEqualTo(200);
    assertThat(body(batch).path("predictions")).hasSize(2);
    assertThat(body(batch).at("/predictions/1/label").asText()).isEqualTo(TestImages.label(1));
  }

  @Test
  void theOpenInferenceProtocolIsAnswered() throws Exception {
    int[] pixels = TestImages.pixels(2);
    Map<String, Object> input =
        Map.of(
            "name",
            "pixels",
            "datatype",
            "UINT8",
            "shape",
            new int[] {1, 3, 32, 32},
            "data",
            pixels);
    JsonNode response =
        postJson("/v2/models/cifar10/infer", json(Map.of("inputs", new Object[] {input})));
    assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(200);
    JsonNode output = body(response).at("/outputs/0");
    assertThat(output.path("datatype").asText()).isEqualTo("FP32");
    assertThat(output.path("data")).hasSize(SyntheticCifar.CLASSES.size());

    JsonNode ready = invoke(event("GET", "/v2/health/ready", "", null, null, false));
    assertThat(body(ready).path("ready").asBoolean()).isTrue();
  }

  @Test
  void aBadRequestStaysA400WithItsJsonError() throws Exception {
    JsonNode response =
        postJson("/predict", "{\"pixels\":[1,2,3]}".getBytes(StandardCharsets.UTF_8));
    assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(400);
    assertThat(body(response).path("error").asText()).contains("3072");
    assertThat(body(response).path("status").asInt()).isEqualTo(400);

    JsonNode v2 =
        postJson("/v2/models/imagenet/infer", "{\"inputs\":[]}".getBytes(StandardCharsets.UTF_8));
    assertThat(v2.path("statusCode").asInt()).as(v2.toString()).isEqualTo(404);
    assertThat(body(v2).path("error").asText()).contains("no model 'imagenet'");

    byte[] text = "not an image".getBytes(StandardCharsets.UTF_8);
    JsonNode unsupported = invoke(event("POST", "/predict", "", "text/plain", text, false));
    assertThat(unsupported.path("statusCode").asInt()).isEqualTo(415);
  }
}
