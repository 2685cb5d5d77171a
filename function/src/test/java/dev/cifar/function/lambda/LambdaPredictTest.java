package dev.cifar.function.lambda;

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
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Runs with {@code -Plambda}: invokes the exported {@code predict} function through Quarkus' mock
 * Lambda event server, which feeds each posted body to the Lambda poll loop as an event.
 */
@QuarkusTest
@WithTestResource(SyntheticModel.class)
class LambdaPredictTest {

  private static int eventServerPort() {
    return ConfigProvider.getConfig()
        .getValue("quarkus.lambda.mock-event-server.test-port", Integer.class);
  }

  @Test
  void predictIsExportedAndAnswersTheEvent() {
    given()
        .port(eventServerPort())
        .contentType(ContentType.JSON)
        .accept(ContentType.JSON)
        .body(Map.of("image", TestImages.base64(0, "png", 32), "top", 2))
        .when()
        .post()
        .then()
        .statusCode(200)
        .body("label", equalTo(TestImages.label(0)))
        .body("top", hasSize(2));
  }

  @Test
  void aBadEventIsAnErrorNamingTheProblem() {
    given()
        .port(eventServerPort())
        .contentType(ContentType.JSON)
        .accept(ContentType.JSON)
        .body(Map.of("pixels", new int[] {1, 2, 3}))
        .when()
        .post()
        .then()
        .statusCode(500)
        .body(containsString("has 3 values; it needs 3072"));
  }
}
