package dev.cifar.function.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The packaged application ({@code target/quarkus-app}) carries training-core's serving classes
 * only.
 */
class PackagedAppIT {

  @Test
  void shipsTheClassifierAndNoneOfTheTrainingLoop() throws IOException {
    List<String> cifarClasses = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("target", "quarkus-app"))) {
      for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).toList()) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
          zip.stream()
              .map(ZipEntry::getName)
              .filter(n -> n.startsWith("dev/cifar/") && n.endsWith(".class"))
              .forEach(cifarClasses::add);
        }
      }
    }
    assertThat(cifarClasses)
        .contains(
            "dev/cifar/classifier/Classifier.class",
            "dev/cifar/artifact/ModelArtifact.class",
            "dev/cifar/function/PredictFunctions.class");
    assertThat(cifarClasses)
        .noneMatch(n -> n.startsWith("dev/cifar/training/") || n.startsWith("dev/cifar/report/"));
  }
}
