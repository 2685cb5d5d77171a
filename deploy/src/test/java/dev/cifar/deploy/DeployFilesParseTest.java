package dev.cifar.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every YAML and JSON file of the deployment parses, strictly (no duplicate keys, no custom tags).
 */
class DeployFilesParseTest {

  static List<Path> yamlFiles() {
    List<Path> files = new ArrayList<>(Repository.deployFiles(".yml", ".yaml"));
    files.add(Repository.ROOT.resolve("function/src/main/kubernetes/kubernetes.yml"));
    Path generated = Repository.ROOT.resolve(Manifests.GENERATED);
    if (generated.toFile().exists()) {
      files.add(generated);
    }
    return files;
  }

  static Stream<Path> jsonFiles() {
    return Repository.deployFiles(".json").stream();
  }

  @ParameterizedTest
  @MethodSource("yamlFiles")
  void yamlParses(Path file) {
    assertThatCode(() -> assertThat(Manifests.documents(file)).isNotEmpty())
        .as(Repository.name(file))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @MethodSource("jsonFiles")
  void jsonParses(Path file) {
    ObjectMapper strict = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    assertThatCode(() -> strict.readTree(file.toFile()))
        .as(Repository.name(file))
        .doesNotThrowAnyException();
  }
}
