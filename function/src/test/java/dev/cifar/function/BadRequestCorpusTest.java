package dev.cifar.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cifar.function.corpus.CorpusCase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every request of the hostile-request corpus: each gets its status with a JSON error
 * naming the problem (or, for legitimate odd images, a prediction), never a 5xx or a stack trace,
 * and the function keeps serving; each request and its answer agree with the OpenAPI document
 * ({@link OpenApiDocument#check}).
 */
@QuarkusTest
@WithTestResource(SyntheticModel.class)
class BadRequestCorpusTest {

  static List<CorpusCase> corpus() {
    return CorpusCase.all();
  }

  @Test
  void theCorpusIsLargeAndCoversGoodAndBad() {
    assertThat(corpus()).hasSizeGreaterThanOrEqualTo(60);
    assertThat(corpus()).filteredOn(c -> c.status() == 200).hasSizeGreaterThanOrEqualTo(10);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void eachRequestGetsItsAnswer(CorpusCase c) {
    Response response = c.send();
    String text = response.asString();
    assertThat(response.statusCode()).as("%s answered %s", c.name(), text).isEqualTo(c.status());
    assertThat(text).as(c.name()).doesNotContain("Exception", "\tat ", "at dev.cifar", "at io.");
    if (c.status() == 413 && behindLambdaEventServer() && text.equals("Request Entity Too Large")) {
      // Lambda refuses a payload over its limit before the function sees it, and so does
      // Quarkus' mock event server (Vert.x' plain-text answer): the platform's, not the function's
      return;
    }
    assertThat(response.contentType()).as(c.name()).startsWith("application/json");
    JsonPath json = response.jsonPath();
    boolean v2 = c.path().startsWith("/v2");
    if (c.status() == 200 && v2) {
      assertThat(json.getList("outputs[0].data")).as(c.name()).hasSize(10);
    } else if (c.status() == 200) {
      assertThat(json.getString("label")).as(c.name()).isNotBlank();
      assertThat(json.getList("top")).as(c.name()).hasSize(3);
    } else {
      // the Open Inference Protocol's error object is {"error": ...} alone
      assertThat(json.getMap("$")).as(c.name()).containsKey("error");
      if (v2) {
        assertThat(json.getMap("$")).as(c.name()).hasSize(1);
      } else {
        assertThat(json.getInt("status")).isEqualTo(c.status());
      }
      assertThat(json.getString("error")).as(c.name()).isNotBlank().contains(c.error());
    }
    document().check(c.method(), c.path(), c.contentType(), c.body(), response);
    given().when().get("/q/health/ready").then().statusCode(200);
  }

  private static OpenApiDocument document;

  /**
   * Whether the function runs as an AWS Lambda, behind Quarkus' mock event server ({@code
   * -Plambda}).
   */
  private static boolean behindLambdaEventServer() {
    try {
      Class.forName("io.quarkus.amazon.lambda.http.LambdaHttpHandler");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** The served OpenAPI document, fetched once the application runs. */
  private static OpenApiDocument document() {
    if (document == null) {
      document = OpenApiDocument.served();
    }
    return document;
  }
}
