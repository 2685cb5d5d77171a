package dev.cifar.function;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * CORS switched on by configuration for one origin: a browser page of that origin may call every
 * route, uploads included; another origin gets no CORS headers.
 */
@QuarkusTest
@WithTestResource(SyntheticModel.class)
@TestProfile(CorsTest.OneOrigin.class)
class CorsTest {

  static final String ORIGIN = "https://app.example";

  /** CORS on, for {@link #ORIGIN} only. */
  public static class OneOrigin implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("quarkus.http.cors.enabled", "true", "quarkus.http.cors.origins", ORIGIN);
    }
  }

  @Test
  void theConfiguredOriginMayCallEveryRoute() {
    given()
        .header("Origin", ORIGIN)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .when()
        .options("/predict")
        .then()
        .statusCode(200)
        .header("Access-Control-Allow-Origin", equalTo(ORIGIN));
    given()
        .header("Origin", ORIGIN)
        .contentType(ContentType.JSON)
        .body(Map.of("pixels", TestImages.pixels(0)))
        .post("/predict")
        .then()
        .statusCode(200)
        .header("Access-Control-Allow-Origin", equalTo(ORIGIN));
    given()
        .header("Origin", ORIGIN)
        .contentType("image/png")
        .body(Base64.getDecoder().decode(TestImages.base64(1, "png", 32)))
        .post("/predict")
        .then()
        .statusCode(200)
        .header("Access-Control-Allow-Origin", equalTo(ORIGIN));
  }

  @Test
  void anotherOriginGetsNoCorsHeaders() {
    given()
        .header("Origin", "https://elsewhere.example")
        .contentType(ContentType.JSON)
        .body(Map.of("pixels", TestImages.pixels(0)))
        .post("/predict")
        .then()
        .header("Access-Control-Allow-Origin", nullValue());
  }
}
