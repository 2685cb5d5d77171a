package dev.cifar.function;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Swagger UI switched on by configuration ({@code quarkus.swagger-ui.enabled=true}). */
@QuarkusTest
@WithTestResource(SyntheticModel.class)
@TestProfile(SwaggerUiTest.SwitchedOn.class)
class SwaggerUiTest {

  /** Swagger UI on. */
  public static class SwitchedOn implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.swagger-ui.enabled", "true");
    }
  }

  @Test
  void swaggerUiShowsTheDocument() {
    given()
        .get("/q/swagger-ui/")
        .then()
        .statusCode(200)
        .contentType(containsString("text/html"))
        .body(containsString("swagger-ui"));
    given().get("/q/swagger-ui/index.html").then().statusCode(200);
  }
}
