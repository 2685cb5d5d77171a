package dev.cifar.function.knative;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.cifar.function.SyntheticModel;
import dev.cifar.function.TestImages;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs with {@code -Pknative}: delivers CloudEvents in binary mode, the way a Knative broker does,
 * with {@code ce-type} naming the function.
 */
@QuarkusTest
@WithTestResource(SyntheticModel.class)
class KnativePredictTest {

  @Test
  void aPredictCloudEventIsAnsweredWithItsOutputEvent() {
    given()
        .contentType(ContentType.JSON)
        .header("ce-id", "42")
        .header("ce-specversion", "1.0")
        .header("ce-source", "test")
        .header("ce-type", "predict")
        .body(Map.of("image", TestImages.base64(1, "png", 32)))
        .when()
        .post("/")
        .then()
        .statusCode(200)
        .header("ce-type", "predict.output")
        .body("label", equalTo(TestImages.label(1)))
        .body("top", hasSize(3));
  }

  @Test
  void aBadEventGetsA400WithAJsonReason() {
    given()
        .contentType(ContentType.JSON)
        .header("ce-id", "43")
        .header("ce-specversion", "1.0")
        .header("ce-source", "test")
        .header("ce-type", "predict")
        .body(Map.of("pixels", new int[] {1, 2, 3}))
        .when()
        .post("/")
        .then()
        .statusCode(400)
        .body("error", containsString("has 3 values; it needs 3072"));
  }

  @Test
  void structuredModeAndTheOtherFunctionsWork() {
    given()
        .contentType("application/cloudevents+json")
        .body(
            Map.of(
                "specversion",
                "1.0",
                "id",
                "44",
                "source",
                "test",
                "type",
                "predictBatch",
                "data",
                Map.of("images", java.util.List.of(Map.of("pixels", TestImages.pixels(2))))))
        .when()
        .post("/")
        .then()
        .statusCode(200)
        .header("ce-type", "predictBatch.output")
        .body("predictions[0].label", equalTo(TestImages.label(2)));
    given()
        .header("ce-id", "45")
        .header("ce-specversion", "1.0")
        .header("ce-source", "test")
        .header("ce-type", "model")
        .when()
        .post("/")
        .then()
        .statusCode(200)
        .header("ce-type", "model.output")
        .body("network", equalTo("seed"));
  }

  @Test
  void unknownTypeAndMissingHeadersAreNamed() {
    given()
        .contentType(ContentType.JSON)
        .header("ce-id", "46")
        .header("ce-type", "train")
        .body("{}")
        .when()
        .post("/")
        .then()
        .statusCode(400)
        .body("error", containsString("unknown ce-type 'train'"));
    given()
        .contentType(ContentType.JSON)
        .body("{}")
        .when()
        .post("/")
        .then()
        .statusCode(400)
        .body("error", containsString("ce-id and ce-type are required"));
  }
}
