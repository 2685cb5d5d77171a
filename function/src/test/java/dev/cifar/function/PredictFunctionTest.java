package dev.cifar.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import dev.cifar.function.corpus.CorpusWriter;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@QuarkusTest
@WithTestResource(SyntheticModel.class)
class PredictFunctionTest {

  private static JsonPath predict(Object body) {
    return given()
        .contentType(ContentType.JSON)
        .body(body)
        .when()
        .post("/predict")
        .then()
        .statusCode(200)
        .contentType(ContentType.JSON)
        .extract()
        .jsonPath();
  }

  @Test
  void predictsTheClassOfKnownPngImages() {
    int correct = 0;
    for (int i = 0; i < 20; i++) {
      JsonPath answer = predict(Map.of("image", TestImages.base64(i, "png", 32)));
      assertThat(answer.getList("top")).hasSize(3);
      assertThat(answer.getString("top[0].label")).isEqualTo(answer.getString("label"));
      assertThat(answer.getFloat("probability")).isBetween(0f, 1f);
      correct += answer.getString("label").equals(TestImages.label(i)) ? 1 : 0;
    }
    assertThat(correct).isGreaterThanOrEqualTo(18);
  }

  @Test
  void jpegGifBmpAndLargerImagesAreResizedAndClassified() {
    for (String format : List.of("jpeg", "gif", "bmp")) {
      assertThat(predict(Map.of("image", TestImages.base64(1, format, 32))).getString("label"))
          .as(format)
          .isEqualTo(TestImages.label(1));
    }
    assertThat(predict(Map.of("image", TestImages.base64(2, "png", 200))).getString("label"))
        .isEqualTo(TestImages.label(2));
    String dataUrl = "data:image/png;base64," + TestImages.base64(3, "png", 32);
    assertThat(predict(Map.of("image", dataUrl)).getString("label")).isEqualTo(TestImages.label(3));
  }

  @Test
  void pixelsGiveTheSameAnswerAsThePngAndTopIsHonoured() {
    JsonPath fromPixels = predict(Map.of("pixels", TestImages.pixels(4), "top", 5));
    JsonPath fromPng = predict(Map.of("image", TestImages.base64(4, "png", 32), "top", 5));
    assertThat(fromPixels.getList("top")).hasSize(5);
    assertThat(fromPixels.getString("label"))
        .isEqualTo(fromPng.getString("label"))
        .isEqualTo(TestImages.label(4));
    assertThat(fromPixels.getFloat("probability")).isEqualTo(fromPng.getFloat("probability"));
    assertThat(fromPixels.getInt("index")).isEqualTo(fromPng.getInt("index"));
  }

  @Test
  void batchEqualsSingles() {
    List<Map<String, Object>> images = new ArrayList<>();
    for (int i = 0; i < SyntheticModel.MAX_BATCH; i++) {
      images.add(Map.of("image", TestImages.base64(i, "png", 32)));
    }
    JsonPath batch =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("images", images, "top", 2))
            .when()
            .post("/predictBatch")
            .then()
            .statusCode(200)
            .body("predictions", hasSize(images.size()))
            .extract()
            .jsonPath();
    for (int i = 0; i < images.size(); i++) {
      JsonPath single = predict(Map.of("image", images.get(i).get("image"), "top", 2));
      assertThat(batch.getString("predictions[" + i + "].label"))
          .isEqualTo(single.getString("label"));
      assertThat(batch.getFloat("predictions[" + i + "].probability"))
          .isCloseTo(single.getFloat("probability"), org.assertj.core.data.Offset.offset(1e-5f));
      assertThat(batch.getList("predictions[" + i + "].top")).hasSize(2);
    }
  }

  @Test
  void modelDescribesWhatIsLoaded() {
    given()
        .when()
        .get("/model")
        .then()
        .statusCode(200)
        .body("network", equalTo("seed"))
        .body("classes", hasSize(10))
        .body("classes[3]", equalTo("cat"))
        .body("testTimeAugmentation", equalTo("none"))
        .body("checksum", not(equalTo("")))
        .body("source", containsString("synthetic.zip"))
        .body("metrics.testAccuracy", org.hamcrest.Matchers.greaterThan(0.9f))
        .body("training.epochs", equalTo(6));
  }

  @Test
  void readyWithTheModelAndMetricsExposed() {
    given()
        .when()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks[0].name", equalTo("model"));
    given().when().get("/q/health/live").then().statusCode(200);
    predict(Map.of("pixels", TestImages.pixels(0)));
    String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    assertThat(metrics)
        .contains("cifar_model_load_seconds")
        .contains("cifar_function_requests_seconds_count{function=\"predict\",outcome=\"success\"}")
        .contains("cifar_classifier_requests_total")
        .contains("cifar_classifier_forward_passes_total")
        .contains("cifar_classifier_batch_largest");
    assertThat(metric(metrics, "cifar_classifier_forward_passes_total"))
        .isPositive()
        .isLessThanOrEqualTo(metric(metrics, "cifar_classifier_requests_total"));
  }

  @Test
  void concurrentRequestsAreIndependentAndCorrect() throws Exception {
    String[] bodies = new String[8];
    String[] expected = new String[8];
    for (int i = 0; i < 8; i++) {
      bodies[i] = "{\"image\":\"" + TestImages.base64(i, "png", 32) + "\"}";
      expected[i] = predict(bodies[i]).getString("label");
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  int wrong = 0;
                  for (int r = 0; r < 200; r++) {
                    int i = (thread + r) % 8;
                    String label =
                        given()
                            .contentType(ContentType.JSON)
                            .body(bodies[i])
                            .when()
                            .post("/predict")
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath()
                            .getString("label");
                    wrong += label.equals(expected[i]) ? 0 : 1;
                  }
                  return wrong;
                }));
      }
      for (Future<Integer> f : results) {
        assertThat(f.get()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  static Stream<Arguments> badRequests() {
    String text = Base64.getEncoder().encodeToString("hello, this is not an image".getBytes());
    byte[] png = Base64.getDecoder().decode(TestImages.base64(0, "png", 32));
    String truncatedPng = Base64.getEncoder().encodeToString(Arrays.copyOf(png, png.length / 2));
    byte[] jpeg = Base64.getDecoder().decode(TestImages.base64(0, "jpeg", 64));
    String truncatedJpeg = Base64.getEncoder().encodeToString(Arrays.copyOf(jpeg, 20));
    String huge =
        Base64.getEncoder().encodeToString(new byte[SyntheticModel.MAX_IMAGE_BYTES + 1000]);
    int[] outOfRange = TestImages.pixels(0);
    outOfRange[7] = 300;
    String pixels = Arrays.toString(TestImages.pixels(0));
    StringBuilder tooMany = new StringBuilder("{\"images\":[");
    for (int i = 0; i <= SyntheticModel.MAX_BATCH; i++) {
      tooMany.append(i == 0 ? "" : ",").append("{\"pixels\":").append(pixels).append('}');
    }
    tooMany.append("]}");
    return Stream.of(
        Arguments.of("/predict", "", "empty request"),
        Arguments.of("/predict", "{}", "exactly one of 'image'"),
        Arguments.of("/predict", "{\"image\":", "not valid JSON"),
        Arguments.of("/predict", "[1,2,3]", "not valid JSON"),
        Arguments.of("/predict", "{\"image\":{\"a\":1}}", "request.image must be a string"),
        Arguments.of(
            "/predict", "{\"image\":12345}", "request.image must be a string, not a whole"),
        Arguments.of(
            "/predict", "{\"pixels\":\"abc\"}", "request.pixels must be an array of whole numbers"),
        Arguments.of(
            "/predict",
            "{\"pixels\":" + pixels + ",\"top\":2.5}",
            "request.top must be a whole number, not a decimal number"),
        Arguments.of(
            "/predict",
            "{\"pixels\":" + pixels + ",\"top\":\"3\"}",
            "request.top must be a whole number, not a string"),
        Arguments.of(
            "/predict",
            "{\"pixels\":" + pixels + ",\"top\":true}",
            "request.top must be a whole number, not a boolean"),
        Arguments.of(
            "/predict",
            "{\"pixels\":" + pixels + ",\"top\":null}",
            "request.top must be a whole number, not null"),
        Arguments.of(
            "/predict",
            "{\"pixels\":[null" + pixels.substring(pixels.indexOf(',')) + "}",
            "request.pixels[0] must be a whole number, not null"),
        Arguments.of(
            "/predict",
            "{\"pixels\":[1.5" + pixels.substring(pixels.indexOf(',')) + "}",
            "request.pixels[0] must be a whole number, not a decimal number"),
        Arguments.of(
            "/predictBatch",
            "{\"images\":[{\"pixels\":" + pixels + "}],\"top\":\"2\"}",
            "top must be a whole number, not a string"),
        Arguments.of("/predictBatch", "{\"images\":null}", "images must be an array, not null"),
        Arguments.of(
            "/predictBatch",
            "{\"images\":[{\"pixels\":" + pixels + ",\"top\":2}]}",
            "images[0].top: give top once, for the whole batch"),
        Arguments.of("/predict", "{\"image\":\"\"}", "image is empty"),
        Arguments.of("/predict", "{\"image\":\"!!!not base64!!!\"}", "not valid base64"),
        Arguments.of("/predict", "{\"image\":\"" + text + "\"}", "not a PNG, JPEG, GIF or BMP"),
        Arguments.of("/predict", "{\"image\":\"" + truncatedPng + "\"}", "could not be decoded"),
        Arguments.of("/predict", "{\"image\":\"" + truncatedJpeg + "\"}", "could not be decoded"),
        Arguments.of("/predict", "{\"image\":\"" + bomb(20000, 20000) + "\"}", "20000x20000"),
        Arguments.of("/predict", "{\"image\":\"" + bomb(0, 0) + "\"}", "request.image"),
        Arguments.of("/predict", "{\"image\":\"" + huge + "\"}", "cifar.max-image-bytes"),
        Arguments.of("/predict", "{\"pixels\":[1,2,3]}", "has 3 values; it needs 3072"),
        Arguments.of(
            "/predict", "{\"pixels\":" + Arrays.toString(outOfRange) + "}", "pixels[7] is 300"),
        Arguments.of(
            "/predict", "{\"pixels\":" + pixels + ",\"image\":\"" + text + "\"}", "not both"),
        Arguments.of("/predict", "{\"pixels\":" + pixels + ",\"top\":0}", "top is 0"),
        Arguments.of("/predict", "{\"pixels\":" + pixels + ",\"top\":11}", "top is 11"),
        Arguments.of("/predict", "{\"pixels\":" + pixels + ",\"top\":-4}", "top is -4"),
        Arguments.of("/predictBatch", "{}", "the batch is empty"),
        Arguments.of("/predictBatch", "{\"images\":[]}", "the batch is empty"),
        Arguments.of("/predictBatch", tooMany.toString(), "cifar.max-batch"),
        Arguments.of(
            "/predictBatch",
            "{\"images\":[{\"pixels\":" + pixels + "},{\"image\":\"@@\"}]}",
            "images[1].image is not valid base64"),
        Arguments.of("/predictBatch", "{\"images\":[null]}", "images[0] is missing"));
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("badRequests")
  void badInputGetsA400WithAJsonReasonAndTheServerKeepsServing(
      String path, String body, String reason) {
    given()
        .contentType(ContentType.JSON)
        .body(body)
        .when()
        .post(path)
        .then()
        .statusCode(400)
        .contentType(ContentType.JSON)
        .body("error", containsString(reason))
        .body("status", equalTo(400))
        .body(not(containsString("at dev.cifar")));
    assertThat(predict(Map.of("pixels", TestImages.pixels(0))).getString("label"))
        .isEqualTo(TestImages.label(0));
  }

  @Test
  void unknownFunctionIsA404WithAJsonBody() {
    given()
        .contentType(ContentType.JSON)
        .body("{}")
        .when()
        .post("/nope")
        .then()
        .statusCode(404)
        .contentType(ContentType.JSON)
        .body("error", containsString("/predict"));
  }

  private static double metric(String metrics, String name) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private static String bomb(int width, int height) {
    return Base64.getEncoder().encodeToString(CorpusWriter.pngHeader(width, height));
  }
}
