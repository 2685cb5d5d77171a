package dev.cifar.function.corpus;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One request of the hostile-request corpus, read from a {@code .http} file: a request line ({@code
 * POST /predict}), headers, a blank line and the body, exactly as sent. Headers {@code
 * Expect-Status} and {@code Expect-Error} say what the function must answer; {@code Fill: <char>
 * <count>} replaces {@code {fill}} in the body with that many characters (for bodies too large to
 * commit).
 *
 * @param name the file name
 * @param method the HTTP method
 * @param path the request path
 * @param contentType the Content-Type header, or {@code null}
 * @param body the request body
 * @param status the status it must get
 * @param error a fragment the JSON {@code error} must contain (empty: any)
 */
public record CorpusCase(
    String name,
    String method,
    String path,
    String contentType,
    byte[] body,
    int status,
    String error) {

  /** The corpus directory, relative to the function module. */
  public static final Path DIRECTORY = Path.of("src", "test", "resources", "bad-requests");

  /**
   * Reads every case of the corpus.
   *
   * @return the cases, in file-name order
   */
  public static List<CorpusCase> all() {
    try (Stream<Path> files = Files.list(DIRECTORY)) {
      return files
          .filter(p -> p.toString().endsWith(".http"))
          .sorted()
          .map(CorpusCase::read)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CorpusCase read(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int end = indexOf(bytes, "\n\n".getBytes(StandardCharsets.UTF_8));
    String[] head = new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n");
    byte[] body = Arrays.copyOfRange(bytes, end + 2, bytes.length);
    String[] request = head[0].split(" ", 2);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < head.length; i++) {
      int colon = head[i].indexOf(':');
      headers.put(head[i].substring(0, colon).strip(), head[i].substring(colon + 1).strip());
    }
    if (headers.containsKey("Fill")) {
      String[] fill = headers.get("Fill").split(" ");
      String text = new String(body, StandardCharsets.UTF_8);
      body =
          text.replace("{fill}", fill[0].repeat(Integer.parseInt(fill[1])))
              .getBytes(StandardCharsets.UTF_8);
    }
    return new CorpusCase(
        file.getFileName().toString(),
        request[0],
        request[1],
        headers.get("Content-Type"),
        body,
        Integer.parseInt(headers.get("Expect-Status")),
        headers.getOrDefault("Expect-Error", ""));
  }

  /**
   * Sends this request, its bytes as they are whatever the declared type, to the application under
   * test.
   *
   * @return the answer
   */
  public Response send() {
    RequestSpecification request = given().body(body);
    if (contentType != null) {
      request =
          request
              .config(
                  RestAssured.config()
                      .encoderConfig(
                          EncoderConfig.encoderConfig()
                              .encodeContentTypeAs(contentType, ContentType.TEXT)
                              .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
              .contentType(contentType);
    } else {
      request = request.noContentType();
    }
    return request.when().request(method, path);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalArgumentException("no blank line after the headers");
  }

  @Override
  public String toString() {
    return name;
  }
}
