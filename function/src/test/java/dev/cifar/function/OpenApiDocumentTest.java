package dev.cifar.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cifar.function.corpus.CorpusCase;
import dev.cifar.function.corpus.Form;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document at {@code /q/openapi}: OpenAPI 3.1, every operation in it answers a good
 * request as it documents (the corpus' bad requests are checked by {@link BadRequestCorpusTest}),
 * and Swagger UI is off unless switched on ({@link SwaggerUiTest}).
 */
@QuarkusTest
@WithTestResource(SyntheticModel.class)
class OpenApiDocumentTest {

  private static CorpusCase request(String method, String path, String type, byte[] body) {
    return new CorpusCase(method + " " + path, method, path, type, body, 200, "");
  }

  private static CorpusCase json(String path, String body) {
    return request("POST", path, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  private static String pixels(int index) {
    return IntStream.of(TestImages.pixels(index))
        .mapToObj(String::valueOf)
        .reduce((a, b) -> a + "," + b)
        .orElseThrow();
  }

  /** A good request of every route, method and request type. */
  private static List<CorpusCase> goodRequests(String version) {
    String png = TestImages.base64(1, "png", 32);
    byte[] pngBytes = Base64.getDecoder().decode(png);
    byte[] jpeg = Base64.getDecoder().decode(TestImages.base64(2, "jpeg", 64));
    String model = "/v2/models/cifar10";
    String versioned = model + "/versions/" + version;
    String pixelsInput =
        "{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"UINT8\",\"shape\":[1,3,32,32],\"data\":["
            + pixels(0)
            + "]}]}";
    String imagesInput =
        "{\"id\":\"7\",\"inputs\":[{\"name\":\"images\",\"datatype\":\"BYTES\",\"shape\":[2],"
            + "\"data\":[\""
            + png
            + "\",\""
            + png
            + "\"]}],\"outputs\":[{\"name\":\"probabilities\","
            + "\"parameters\":{\"classification\":3}}]}";
    List<CorpusCase> requests = new ArrayList<>();
    requests.add(json("/predict", "{\"image\":\"" + png + "\",\"top\":2}"));
    requests.add(json("/predict", "{\"pixels\":[" + pixels(3) + "]}"));
    for (String type : List.of("image/png", "application/octet-stream")) {
      requests.add(request("POST", "/predict?top=4", type, pngBytes));
    }
    for (String format : List.of("jpeg", "gif", "bmp")) {
      requests.add(
          request(
              "POST",
              "/predict",
              "image/" + format,
              Base64.getDecoder().decode(TestImages.base64(5, format, 40))));
    }
    requests.add(
        request(
            "POST",
            "/predict",
            Form.CONTENT_TYPE,
            Form.body(
                Form.file("image", "cat.png", "image/png", pngBytes), Form.field("top", "5"))));
    requests.add(
        json(
            "/predictBatch",
            "{\"images\":[{\"image\":\""
                + png
                + "\"},{\"pixels\":["
                + pixels(4)
                + "]}],\"top\":1}"));
    requests.add(
        request(
            "POST",
            "/predictBatch?top=2",
            Form.CONTENT_TYPE,
            Form.body(
                Form.file("a", "a.png", "image/png", pngBytes),
                Form.file("b", "b.jpg", "image/jpeg", jpeg))));
    requests.add(request("GET", "/model", null, new byte[0]));
    for (String path :
        List.of(
            "/v2",
            "/v2/health/live",
            "/v2/health/ready",
            model,
            versioned,
            model + "/ready",
            versioned + "/ready")) {
      requests.add(request("GET", path, null, new byte[0]));
    }
    for (String base : List.of(model, versioned)) {
      requests.add(json(base + "/infer", pixelsInput));
      requests.add(json(base + "/infer", imagesInput));
    }
    return requests;
  }

  @Test
  void theDocumentIsOpenApi31AndNamesTheFunctionsVersion() {
    OpenApiDocument document = OpenApiDocument.served();
    assertThat(document.json().get("openapi").asText()).startsWith("3.1.");
    assertThat(document.json().at("/info/version").asText()).isNotBlank();
    assertThat(given().get("/q/openapi").then().statusCode(200).extract().asString())
        .startsWith("---\nopenapi: 3.1.")
        .contains("/v2/models/{name}/infer", "multipart/form-data", "image/jpeg");
  }

  @Test
  void everyOperationAnswersAsDocumented() {
    OpenApiDocument document = OpenApiDocument.served();
    String version =
        given().get("/v2/models/cifar10").then().statusCode(200).extract().path("versions[0]");
    Set<String> answered = new LinkedHashSet<>();
    Set<String> types = new LinkedHashSet<>();
    for (CorpusCase c : goodRequests(version)) {
      Response response = c.send();
      assertThat(response.statusCode()).as("%s: %s", c, response.asString()).isEqualTo(200);
      document.check(c.method(), c.path(), c.contentType(), c.body(), response);
      OpenApiDocument.Operation operation = document.operation(c.method(), c.path()).orElseThrow();
      answered.add(operation.toString());
      if (c.contentType() != null) {
        types.add(operation + " " + c.contentType().split(";")[0]);
      }
    }
    assertThat(answered)
        .containsExactlyInAnyOrderElementsOf(
            document.operations().stream().map(Object::toString).toList());
    List<String> documentedTypes = new ArrayList<>();
    for (OpenApiDocument.Operation operation : document.operations()) {
      document.requestTypes(operation).forEach(t -> documentedTypes.add(operation + " " + t));
    }
    assertThat(types).containsExactlyInAnyOrderElementsOf(documentedTypes);
  }

  @Test
  void theSchemasTellWrongBodiesFromRight() {
    OpenApiDocument document = OpenApiDocument.served();
    String request = "#/components/schemas/PredictRequest";
    assertThat(document.errors(request, "{\"image\":\"aGk=\",\"top\":2}")).isEmpty();
    assertThat(document.errors(request, "{\"image\":\"aGk=\",\"top\":2.5}")).isNotEmpty();
    assertThat(document.errors(request, "{\"image\":\"aGk=\",\"tpo\":2}")).isNotEmpty();
    assertThat(document.errors(request, "{\"image\":\"aGk=\",\"pixels\":[1]}")).isNotEmpty();
    assertThat(document.errors(request, "{}")).isNotEmpty();
    String answer = "#/components/schemas/PredictResponse";
    assertThat(document.errors(answer, "{\"label\":\"cat\"}")).isNotEmpty();
    String error = "#/components/schemas/Error";
    assertThat(document.errors(error, "{\"error\":\"bad\",\"status\":400}")).isEmpty();
    assertThat(document.errors(error, "{\"error\":\"bad\"}")).isNotEmpty();
    String infer = "#/components/schemas/inference_request";
    assertThat(
            document.errors(
                infer,
                "{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"UINT8\","
                    + "\"shape\":[1],\"data\":[[1,2],[3]]}]}"))
        .isEmpty();
    assertThat(
            document.errors(
                infer,
                "{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"UINT7\","
                    + "\"shape\":[1],\"data\":[1]}]}"))
        .isNotEmpty();
  }

  @Test
  void swaggerUiIsOffUnlessSwitchedOn() {
    given().get("/q/swagger-ui/").then().statusCode(404);
  }
}
