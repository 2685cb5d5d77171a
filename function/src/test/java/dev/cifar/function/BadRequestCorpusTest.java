package dev.cifar.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cifar.function.corpus.CorpusCase;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every request of the hostile-request corpus: each gets its status with a JSON error
 * naming the problem (or, for legitimate odd images, a prediction), never a 5xx or a stack trace,
 * and the function keeps serving.
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
    RequestSpecification request = given().body(c.body());
    if (c.contentType() != null) {
      // send the bytes as they are, whatever the declared type
      request =
          request
              .config(
                  RestAssured.config()
                      .encoderConfig(
                          EncoderConfig.encoderConfig()
                              .encodeContentTypeAs(c.contentType(), ContentType.TEXT)
                              .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
              .contentType(c.contentType());
    } else {
      request = request.noContentType();
    }
    Response response = request.when().request(c.method(), c.path());
    String text = response.asString();
    assertThat(response.statusCode()).as("%s answered %s", c.name(), text).isEqualTo(c.status());
    assertThat(text).as(c.name()).doesNotContain("Exception", "\tat ", "at dev.cifar", "at io.");
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
    given().when().get("/q/health/ready").then().statusCode(200);
  }
}
