package dev.cifar.function;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.cifar.data.ImageConversion;
import dev.cifar.testing.SyntheticCifar;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A model trained on class folders answers with the folders' names. */
@QuarkusTest
@WithTestResource(OwnClassesModel.class)
class OwnClassesTest {

  private static String image(int pattern) {
    return Base64.getEncoder()
        .encodeToString(
            TestImages.encode(
                ImageConversion.toImage(SyntheticCifar.image(pattern, new Random(99))), "png"));
  }

  @Test
  void theFunctionAnswersWithTheOwnClassNames() {
    given()
        .when()
        .get("/model")
        .then()
        .statusCode(200)
        .body("classes", equalTo(OwnClassesModel.CLASSES));
    // SyntheticCifar.writeImageFolders draws class i with pattern 9 - 4 i: cars is pattern 5
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("image", image(5)))
        .when()
        .post("/predict")
        .then()
        .statusCode(200)
        .body("label", equalTo("cars"))
        .body("top", hasSize(3));
    given()
        .contentType(ContentType.JSON)
        .body(Map.of("image", image(5), "top", 4))
        .when()
        .post("/predict")
        .then()
        .statusCode(400)
        .body("error", containsString("between 1 and 3"));
  }
}
