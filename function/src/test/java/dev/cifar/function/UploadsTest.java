package dev.cifar.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.cifar.function.corpus.Form;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.MultiPartConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Images uploaded as a raw body or as multipart/form-data files are answered exactly as the same
 * images in JSON, through the same decoder and limits; what is wrong with an upload is a 4xx with a
 * JSON reason, and the function keeps serving.
 */
@QuarkusTest
@WithTestResource(SyntheticModel.class)
class UploadsTest {

  @TestHTTPResource("/predict")
  URL predict;

  private static byte[] image(int index, String format) {
    return Base64.getDecoder().decode(TestImages.base64(index, format, 32));
  }

  private static String json(int index, String format, int top) {
    return given()
        .contentType(ContentType.JSON)
        .body(Map.of("image", TestImages.base64(index, format, 32), "top", top))
        .post("/predict")
        .then()
        .statusCode(200)
        .extract()
        .asString();
  }

  private static RequestSpecification raw(byte[] body, String type) {
    return given().contentType(type).body(body);
  }

  /**
   * A request whose form has {@link Form#BOUNDARY}, not a random boundary of REST Assured's: with
   * {@code -Plambda} these tests run through Quarkus' mock Lambda event server, which passes a body
   * on as UTF-8 text instead of base64 whenever its Content-Type merely contains "text", "json",
   * "xml" or "yaml", boundary included. A random boundary of 30 to 40 letters holds "xml" about
   * once in a thousand forms, and the files then arrive mangled
   * (docs/serving.md#bindings-http-aws-lambda-knative).
   */
  private static RequestSpecification form() {
    return given()
        .config(
            RestAssured.config()
                .multiPartConfig(MultiPartConfig.multiPartConfig().defaultBoundary(Form.BOUNDARY)));
  }

  private static void assertStillServing() {
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("pixels", TestImages.pixels(0)))
        .post("/predict")
        .then()
        .statusCode(200)
        .body("label", equalTo(TestImages.label(0)));
  }

  private static void assertError(Response response, int status, String reason) {
    response
        .then()
        .statusCode(status)
        .contentType(ContentType.JSON)
        .body("status", equalTo(status))
        .body("error", containsString(reason));
    assertStillServing();
  }

  @Test
  void aRawBodyIsAnsweredAsTheSameImageInJson() {
    assertThat(raw(image(1, "png"), "image/png").post("/predict?top=3").asString())
        .isEqualTo(json(1, "png", 3));
    assertThat(raw(image(2, "jpeg"), "image/jpeg").post("/predict?top=5").asString())
        .isEqualTo(json(2, "jpeg", 5));
    assertThat(raw(image(3, "gif"), "image/gif").post("/predict").asString())
        .isEqualTo(json(3, "gif", 3));
    assertThat(raw(image(4, "bmp"), "application/octet-stream").post("/predict").asString())
        .as("octet-stream: known by its bytes")
        .isEqualTo(json(4, "bmp", 3));
  }

  @Test
  void multipartFilesAreAnsweredAsTheSameImagesInJson() {
    assertThat(
            form()
                .multiPart("image", "cat.png", image(1, "png"), "image/png")
                .post("/predict?top=4")
                .asString())
        .isEqualTo(json(1, "png", 4));
    assertThat(
            form()
                .multiPart("photo", "cat.jpg", image(2, "jpeg"), "image/jpeg")
                .multiPart("top", "2")
                .post("/predict")
                .asString())
        .as("the only file, whatever its name; top as a form field")
        .isEqualTo(json(2, "jpeg", 2));

    Response batch =
        form()
            .multiPart("images", "a.png", image(5, "png"), "image/png")
            .multiPart("images", "b.jpg", image(6, "jpeg"), "image/jpeg")
            .multiPart("images", "c.bin", image(7, "png"), "application/octet-stream")
            .post("/predictBatch?top=2");
    batch.then().statusCode(200).body("predictions", hasSize(3));
    String jsonBatch =
        given()
            .contentType(ContentType.JSON)
            .body(
                Map.of(
                    "images",
                    List.of(
                        Map.of("image", TestImages.base64(5, "png", 32)),
                        Map.of("image", TestImages.base64(6, "jpeg", 32)),
                        Map.of("image", TestImages.base64(7, "png", 32))),
                    "top",
                    2))
            .post("/predictBatch")
            .asString();
    assertThat(batch.asString()).isEqualTo(jsonBatch);
  }

  @Test
  void aBadRawBodyIsNamed() {
    assertError(
        raw(image(1, "jpeg"), "image/png").post("/predict"),
        400,
        "the request body is declared as image/png but holds a jpeg image");
    assertError(raw(new byte[0], "image/png").post("/predict"), 400, "the request body is empty");
    assertError(
        raw("not an image".getBytes(), "application/octet-stream").post("/predict"),
        400,
        "the request body is not a PNG, JPEG, GIF or BMP image");
    assertError(
        raw(new byte[SyntheticModel.MAX_IMAGE_BYTES + 1], "application/octet-stream")
            .post("/predict"),
        413,
        "cifar.max-image-bytes");
    assertError(raw(image(1, "png"), "image/png").post("/predict?top=abc"), 400, "top must be");
    assertError(raw(image(1, "png"), "image/png").post("/predict?top=0"), 400, "top is 0");
    assertError(
        raw(image(1, "png"), "image/png").post("/predict?tpo=3"),
        400,
        "unknown query parameter(s) [tpo]");
    assertError(raw(image(1, "png"), "image/png").post("/predictBatch"), 415, "multipart");
    assertError(raw(image(1, "png"), "image/tiff").post("/predict"), 415, "image/png");
  }

  @Test
  void corsIsOffByDefault() {
    raw(image(1, "png"), "image/png")
        .header("Origin", "https://app.example")
        .post("/predict")
        .then()
        .statusCode(200)
        .header("Access-Control-Allow-Origin", nullValue());
    given()
        .header("Origin", "https://app.example")
        .header("Access-Control-Request-Method", "POST")
        .options("/predict")
        .then()
        .header("Access-Control-Allow-Origin", nullValue());
  }

  @Test
  void aChunkedBodyIsCutAtTheImageLimit() throws Exception {
    byte[] over = new byte[SyntheticModel.MAX_IMAGE_BYTES + 1];
    HttpRequest request =
        HttpRequest.newBuilder(predict.toURI())
            // chunked transfer is HTTP/1.1's; JDK 25's client would first try an h2c upgrade
            .version(HttpClient.Version.HTTP_1_1)
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(over)))
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.request().headers().firstValue("Content-Length"))
        .as("sent without a length")
        .isEmpty();
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("cifar.max-image-bytes");
    assertStillServing();
  }

  @Test
  void aBadFormIsNamed() {
    assertError(
        form()
            .multiPart("a", "a.png", image(1, "png"), "image/png")
            .multiPart("b", "b.png", image(2, "png"), "image/png")
            .post("/predict"),
        400,
        "none named 'image'");
    assertError(
        form()
            .multiPart("image", "a.png", image(1, "png"), "image/png")
            .multiPart("colour", "red")
            .post("/predict"),
        400,
        "unknown field(s) [colour]");
    assertError(
        form()
            .multiPart("image", "a.png", image(1, "png"), "image/png")
            .multiPart("top", "2")
            .post("/predict?top=2"),
        400,
        "more than once");
    assertError(
        form().multiPart("image", "notes.txt", "hello".getBytes(), "text/plain").post("/predict"),
        400,
        "file 'notes.txt' is declared as text/plain");
    assertError(
        form()
            .multiPart(
                "image", "big.png", new byte[SyntheticModel.MAX_IMAGE_BYTES + 1], "image/png")
            .post("/predict"),
        413,
        "file 'big.png' is over");
    assertError(form().multiPart("top", "2").post("/predict"), 400, "no image file");
    RequestSpecification many = form();
    for (int i = 0; i <= SyntheticModel.MAX_BATCH; i++) {
      many = many.multiPart("images", i + ".png", image(i, "png"), "image/png");
    }
    assertError(many.post("/predictBatch"), 400, "cifar.max-batch");
    RequestSpecification heavy = form();
    for (int i = 0; i < SyntheticModel.MAX_BATCH; i++) {
      heavy =
          heavy.multiPart(
              "images",
              i + ".bin",
              new byte[SyntheticModel.MAX_IMAGE_BYTES - 1],
              "application/octet-stream");
    }
    assertError(heavy.post("/predictBatch"), 413, "quarkus.http.limits.max-body-size");
    assertError(
        given()
            .contentType("multipart/form-data")
            .body("--x\r\nnot a form\r\n".getBytes())
            .post("/predict"),
        400,
        "multipart/form-data");
  }
}
