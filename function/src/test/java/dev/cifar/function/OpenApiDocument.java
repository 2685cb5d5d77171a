package dev.cifar.function;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The function's OpenAPI document as the running application serves it at {@code /q/openapi}, and
 * the check of one exchange against it: the route and method are documented (or the answer is a
 * documented 404/405), the request's media type is one the operation takes exactly when it is not a
 * 415, a JSON request that succeeded matches its schema, and the answer's status is documented and
 * its body matches the schema documented for that status.
 */
final class OpenApiDocument {

  /** The identifier the document is registered under for resolving its {@code $ref}s. */
  private static final String BASE = "urn:cifar:openapi";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode document;
  private final SchemaRegistry registry;

  /** One operation: its path template, method and where it is in the document. */
  record Operation(String template, String method, String pointer) {
    @Override
    public String toString() {
      return method.toUpperCase(Locale.ROOT) + " " + template;
    }
  }

  private OpenApiDocument(String json) {
    this.document = read(json);
    this.registry =
        SchemaRegistry.withDefaultDialect(
            Dialects.getOpenApi31(), b -> b.schemas(Map.of(BASE, json)));
  }

  /**
   * Fetches the document from the application under test.
   *
   * @return the document
   */
  static OpenApiDocument served() {
    return new OpenApiDocument(
        given()
            .queryParam("format", "json")
            .get("/q/openapi")
            .then()
            .statusCode(200)
            .extract()
            .asString());
  }

  /**
   * @return the parsed document
   */
  JsonNode json() {
    return document;
  }

  /**
   * @return every operation of the document
   */
  List<Operation> operations() {
    List<Operation> all = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      for (String method : List.of("get", "post", "put", "delete", "patch")) {
        if (path.getValue().has(method)) {
          all.add(new Operation(path.getKey(), method, pointer("paths", path.getKey(), method)));
        }
      }
    }
    return all;
  }

  /**
   * Finds the operation a request goes to.
   *
   * @param method the HTTP method
   * @param path the request path, perhaps with a query
   * @return the operation, or empty when the document has none for it
   */
  Optional<Operation> operation(String method, String path) {
    String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    return operations().stream()
        .filter(o -> o.method().equalsIgnoreCase(method))
        .filter(o -> matches(o.template(), bare))
        .findFirst();
  }

  private static boolean matches(String template, String path) {
    String[] expected = template.split("/", -1);
    String[] actual = path.split("/", -1);
    if (expected.length != actual.length) {
      return false;
    }
    for (int i = 0; i < expected.length; i++) {
      boolean parameter = expected[i].startsWith("{") && !actual[i].isEmpty();
      if (!parameter && !expected[i].equals(actual[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the media types an operation's request body may have.
   *
   * @param operation the operation
   * @return the media types, empty when it takes no body
   */
  Set<String> requestTypes(Operation operation) {
    Set<String> types = new LinkedHashSet<>();
    String body = requestBody(operation);
    if (body != null) {
      document.at(body.substring(1) + "/content").fieldNames().forEachRemaining(types::add);
    }
    return types;
  }

  /**
   * Checks one exchange against the document.
   *
   * @param method the request's method
   * @param path its path
   * @param contentType its Content-Type, or {@code null}
   * @param body its body
   * @param response the answer
   */
  void check(String method, String path, String contentType, byte[] body, Response response) {
    int status = response.statusCode();
    String answer = response.asString();
    String what = method + " " + path + " answered " + status + " " + abbreviate(answer);
    Optional<Operation> found = operation(method, path);
    if (found.isEmpty()) {
      assertThat(status).as("%s: an undocumented route", what).isIn(404, 405);
      String error = path.startsWith("/v2") ? "inference_error_response" : "Error";
      assertValid(pointer("components", "schemas", error), answer, what);
      return;
    }
    Operation operation = found.get();
    String type = mediaType(contentType);
    boolean documented = type != null && requestTypes(operation).contains(type);
    if (status == 200 && requestBody(operation) != null) {
      assertThat(documented).as("%s: %s is not a documented request type", what, type).isTrue();
      if (type.equals("application/json")) {
        assertValid(requestBody(operation) + "/content/application~1json/schema", body, what);
      }
    }
    if (status == 415) {
      assertThat(documented).as("%s: a documented request type is refused", what).isFalse();
    }
    JsonNode responses = document.at(operation.pointer().substring(1) + "/responses");
    String key = String.valueOf(status);
    assertThat(responses.has(key))
        .as("%s: status %d of %s is not documented", what, status, operation)
        .isTrue();
    String responsePointer = follow(operation.pointer() + "/responses/" + key);
    assertThat(response.contentType()).as(what).startsWith("application/json");
    assertValid(responsePointer + "/content/application~1json/schema", answer, what);
  }

  /** The pointer of an operation's request body, its {@code $ref} followed, or {@code null}. */
  private String requestBody(Operation operation) {
    return document.at(operation.pointer().substring(1)).has("requestBody")
        ? follow(operation.pointer() + "/requestBody")
        : null;
  }

  /** Follows a {@code $ref} at a pointer to the pointer it names. */
  private String follow(String pointer) {
    JsonNode node = document.at(pointer.substring(1));
    assertThat(node.isMissingNode()).as("%s is in the document", pointer).isFalse();
    return node.has("$ref") ? follow(node.get("$ref").asText()) : pointer;
  }

  private void assertValid(String schemaPointer, Object instance, String what) {
    String json =
        instance instanceof byte[] bytes
            ? new String(bytes, StandardCharsets.UTF_8)
            : (String) instance;
    assertThat(errors(schemaPointer, json)).as("%s against %s", what, schemaPointer).isEmpty();
  }

  /**
   * Validates JSON against a schema of the document.
   *
   * @param schemaPointer the schema's place, e.g. {@code #/components/schemas/Error}
   * @param json the JSON text
   * @return what is wrong with it, empty when it is valid
   */
  List<String> errors(String schemaPointer, String json) {
    assertThat(document.at(schemaPointer.substring(1)).isMissingNode())
        .as("%s is in the document", schemaPointer)
        .isFalse();
    return registry.getSchema(SchemaLocation.of(BASE + schemaPointer)).validate(read(json)).stream()
        .map(Error::toString)
        .toList();
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon))
        .strip()
        .toLowerCase(Locale.ROOT);
  }

  /** A JSON pointer, as a URI fragment, to a member given by its unescaped names. */
  private static String pointer(String... names) {
    StringBuilder pointer = new StringBuilder("#");
    for (String name : names) {
      pointer.append('/').append(name.replace("~", "~0").replace("/", "~1"));
    }
    return pointer.toString();
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + abbreviate(json), e);
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }
}
