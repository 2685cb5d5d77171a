package dev.cifar.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Open Inference Protocol (KServe V2) routes: metadata and health as the REST specification
 * names them, inference on UINT8 pixels in both layouts and on BYTES images giving the same
 * probabilities as {@code predictBatch}, Triton's classification, and the protocol's errors.
 */
@QuarkusTest
@WithTestResource(SyntheticModel.class)
class OpenInferenceTest {

  private static final String MODEL = "/v2/models/cifar10";

  private static Map<String, Object> input(
      String name, String type, List<Integer> shape, List<?> data) {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("name", name);
    input.put("datatype", type);
    input.put("shape", shape);
    input.put("data", data);
    return input;
  }

  private static List<Integer> pixels(int... indices) {
    List<Integer> data = new ArrayList<>();
    for (int i : indices) {
      for (int v : TestImages.pixels(i)) {
        data.add(v);
      }
    }
    return data;
  }

  private static Response infer(Object body) {
    return given().contentType(ContentType.JSON).body(body).post(MODEL + "/infer");
  }

  /** predictBatch's probabilities for all classes, in class order, image after image. */
  private static List<Float> batchProbabilities(List<Map<String, Object>> images) {
    JsonPath answer =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("images", images, "top", 10))
            .post("/predictBatch")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    List<String> classes = given().get("/model").then().extract().jsonPath().getList("classes");
    List<Float> out = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      float[] row = new float[classes.size()];
      List<Map<String, Object>> top = answer.getList("predictions[" + i + "].top");
      for (Map<String, Object> c : top) {
        row[classes.indexOf((String) c.get("label"))] =
            ((Number) c.get("probability")).floatValue();
      }
      for (float p : row) {
        out.add(p);
      }
    }
    return out;
  }

  @Test
  void serverAndModelMetadataAndHealth() {
    given()
        .get("/v2")
        .then()
        .statusCode(200)
        .body("name", equalTo("cifar"))
        .body("extensions", hasItem("classification"));
    given().get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
    given().get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
    JsonPath model = given().get(MODEL).then().statusCode(200).extract().jsonPath();
    assertThat(model.getString("name")).isEqualTo("cifar10");
    String version = model.getString("versions[0]");
    assertThat(version).hasSize(12);
    assertThat(model.getString("platform")).isNotBlank();
    assertThat(model.getString("inputs[0].name")).isEqualTo("pixels");
    assertThat(model.getString("inputs[0].datatype")).isEqualTo("UINT8");
    assertThat(model.getList("inputs[0].shape")).containsExactly(-1, 3, 32, 32);
    assertThat(model.getString("inputs[1].datatype")).isEqualTo("BYTES");
    assertThat(model.getString("outputs[0].datatype")).isEqualTo("FP32");
    assertThat(model.getList("outputs[0].shape")).containsExactly(-1, 10);
    given().get(MODEL + "/versions/" + version).then().statusCode(200);
    given()
        .get(MODEL + "/ready")
        .then()
        .statusCode(200)
        .body("name", equalTo("cifar10"))
        .body("ready", equalTo(true));
    given().get(MODEL + "/versions/" + version + "/ready").then().statusCode(200);
    given()
        .get(MODEL + "/versions/000000000000")
        .then()
        .statusCode(404)
        .body("error", containsString("its one version is '" + version + "'"))
        .body("$", aMapWithSize(1));
    given()
        .get("/v2/models/imagenet")
        .then()
        .statusCode(404)
        .body("error", containsString("'cifar10'"));
    given().get("/v2/repository/index").then().statusCode(404).body("error", containsString("/v2"));
  }

  @Test
  void pixelsInBothLayoutsAndEncodedImagesGiveTheBatchProbabilities() {
    List<Float> expected =
        batchProbabilities(
            List.of(
                Map.of("pixels", TestImages.pixels(0)), Map.of("pixels", TestImages.pixels(1))));
    JsonPath planar =
        infer(
                Map.of(
                    "id",
                    "r1",
                    "inputs",
                    List.of(input("pixels", "UINT8", List.of(2, 3, 32, 32), pixels(0, 1)))))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(planar.getString("model_name")).isEqualTo("cifar10");
    assertThat(planar.getString("model_version")).hasSize(12);
    assertThat(planar.getString("id")).isEqualTo("r1");
    assertThat(planar.getString("outputs[0].name")).isEqualTo("probabilities");
    assertThat(planar.getString("outputs[0].datatype")).isEqualTo("FP32");
    assertThat(planar.getList("outputs[0].shape")).containsExactly(2, 10);
    assertThat(planar.getList("outputs[0].data", Float.class)).isEqualTo(expected);

    List<Integer> nchw = pixels(0, 1);
    List<Integer> nhwc = new ArrayList<>();
    for (int n = 0; n < 2; n++) {
      for (int p = 0; p < 1024; p++) {
        for (int c = 0; c < 3; c++) {
          nhwc.add(nchw.get(n * 3072 + c * 1024 + p));
        }
      }
    }
    assertThat(
            infer(Map.of("inputs", List.of(input("pixels", "UINT8", List.of(2, 32, 32, 3), nhwc))))
                .then()
                .statusCode(200)
                .body("id", nullValue())
                .extract()
                .jsonPath()
                .getList("outputs[0].data", Float.class))
        .isEqualTo(expected);

    List<String> encoded =
        List.of(TestImages.base64(2, "png", 32), TestImages.base64(3, "jpeg", 48));
    assertThat(
            infer(Map.of("inputs", List.of(input("images", "BYTES", List.of(2), encoded))))
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("outputs[0].data", Float.class))
        .isEqualTo(
            batchProbabilities(
                List.of(Map.of("image", encoded.get(0)), Map.of("image", encoded.get(1)))));
  }

  @Test
  void classificationGivesTheTopClassesAsTriton() {
    JsonPath answer =
        infer(
                Map.of(
                    "inputs", List.of(input("pixels", "UINT8", List.of(1, 3, 32, 32), pixels(4))),
                    "outputs",
                        List.of(
                            Map.of(
                                "name",
                                "probabilities",
                                "parameters",
                                Map.of("classification", 3)))))
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(answer.getString("outputs[0].datatype")).isEqualTo("BYTES");
    assertThat(answer.getList("outputs[0].shape")).containsExactly(1, 3);
    List<String> top = answer.getList("outputs[0].data");
    assertThat(top).hasSize(3);
    String[] first = top.get(0).split(":");
    assertThat(first[2]).isEqualTo(TestImages.label(4));
    assertThat(Float.parseFloat(first[0]))
        .isGreaterThan(Float.parseFloat(top.get(1).split(":")[0]));
  }

  static Stream<Arguments> badRequests() {
    List<Integer> one = pixels(0);
    List<Integer> outOfRange = new ArrayList<>(one);
    outOfRange.set(5, 300);
    List<Object> decimal = new ArrayList<>(one);
    decimal.set(7, 1.5);
    List<Object> text = new ArrayList<>(one);
    text.set(9, "x");
    Map<String, Object> good = input("pixels", "UINT8", List.of(1, 3, 32, 32), one);
    Map<String, Object> binary = new LinkedHashMap<>(good);
    binary.put("parameters", Map.of("binary_data_size", 3072));
    return Stream.of(
        Arguments.of("{}", "inputs must hold exactly one tensor"),
        Arguments.of(Map.of("inputs", List.of(good, good)), "exactly one tensor"),
        Arguments.of(
            Map.of(
                "inputs",
                List.of(input("pixels", "UINT8", List.of(1, 3, 32, 32), one.subList(0, 100)))),
            "has 100 elements; shape [1, 3, 32, 32] needs 3072"),
        Arguments.of(
            Map.of("inputs", List.of(input("pixels", "UINT8", List.of(2, 3, 32, 32), one))),
            "needs 6144"),
        Arguments.of(
            Map.of("inputs", List.of(input("pixels", "FP32", List.of(1, 3, 32, 32), one))),
            "datatype FP32; it must be UINT8"),
        Arguments.of(
            Map.of("inputs", List.of(input("pixels", "UINT8", List.of(1, 3, 32, 32), outOfRange))),
            "data[5] is 300"),
        Arguments.of(
            Map.of("inputs", List.of(input("pixels", "UINT8", List.of(1, 3, 32, 32), decimal))),
            "data[7] must be a whole number 0..255 (UINT8), not 1.5"),
        Arguments.of(
            Map.of("inputs", List.of(input("pixels", "UINT8", List.of(1, 3, 32, 32), text))),
            "data[9] must be a whole number"),
        Arguments.of(
            Map.of("inputs", List.of(input("pixels", "UINT8", List.of(1, 3, 16, 16), one))),
            "pixels are [N, 3, 32, 32]"),
        Arguments.of(
            Map.of("inputs", List.of(input("pixels", "UINT8", List.of(9, 3, 32, 32), one))),
            "cifar.max-batch"),
        Arguments.of(
            Map.of("inputs", List.of(input("input0", "UINT8", List.of(1, 3, 32, 32), one))),
            "inputs[0].name is 'input0'"),
        Arguments.of(
            Map.of("inputs", List.of(input("images", "BYTES", List.of(1), List.of("@@")))),
            "inputs[0].data[0] is not valid base64"),
        Arguments.of(
            Map.of("inputs", List.of(input("images", "BYTES", List.of(1), List.of(5)))),
            "inputs[0].data[0] must be a string"),
        Arguments.of(Map.of("inputs", List.of(binary)), "binary tensor data is not supported"),
        Arguments.of(
            Map.of("inputs", List.of(good), "outputs", List.of(Map.of("name", "logits"))),
            "outputs[0].name is 'logits'"),
        Arguments.of(
            Map.of(
                "inputs",
                List.of(good),
                "outputs",
                List.of(
                    Map.of("name", "probabilities", "parameters", Map.of("classification", 0)))),
            "classification is 0"),
        Arguments.of(Map.of("inputs", List.of(good), "priority", 1), "unknown field(s) [priority]"),
        Arguments.of(
            Map.of("inputs", List.of(good), "parameters", Map.of("sequence_id", 1)),
            "unsupported parameter(s) [sequence_id]"),
        Arguments.of(Map.of("inputs", "x"), "inputs must be an array, not a string"),
        Arguments.of("{\"inputs\": [", "not valid JSON"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("badRequests")
  void badInferenceRequestsGetTheProtocolsError(Object body, String reason) {
    infer(body)
        .then()
        .statusCode(400)
        .contentType(ContentType.JSON)
        .body("error", containsString(reason))
        .body("$", aMapWithSize(1));
    given().get("/v2/health/ready").then().statusCode(200);
  }
}
