package dev.cifar.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cifar.artifact.ModelArtifact;
import dev.cifar.classifier.Classifier;
import dev.cifar.classifier.Prediction;
import dev.cifar.data.Cifar10Dataset;
import dev.cifar.data.Cifar10Reader;
import dev.cifar.evaluation.EpochMetrics;
import dev.cifar.training.ProgressListener;
import dev.cifar.training.Training;
import dev.cifar.training.TrainingConfig;
import dev.cifar.training.TrainingResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains the seed network for 2 epochs on the real CIFAR-10 when it is present: system {@code
 * CIFAR10_HOME}, else system property {@code cifar.test.data} (the build sets it to {@code
 * ../shared/cifar10} beside the repository). Skipped, saying why, when not.
 */
class RealCifar10IT {

  @TempDir Path tmp;

  static Path dataDirectory() {
    String env = System.getenv("CIFAR10_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String prop = System.getProperty("cifar.test.data");
    return prop == null || prop.isBlank() ? null : Path.of(prop);
  }

  @Test
  void seedNetworkReachesNotebookLevelsOnRealData() {
    Path dir = dataDirectory();
    assumeTrue(
        dir != null && Files.isDirectory(dir),
        "real CIFAR-10 not found (set -Dcifar.test.data or CIFAR10_HOME; looked at " + dir + ")");
    Cifar10Dataset data = Cifar10Reader.read(dir, System.out::println);
    TrainingResult result =
        Training.builder()
            .setConfig(TrainingConfig.builder().optEpochs(2).build())
            .setTrainingSet(data.train())
            .optTestSet(data.test())
            .optListener(
                new ProgressListener() {
                  @Override
                  public void onEpoch(EpochMetrics metrics) {
                    System.out.println(metrics.toLogLine());
                  }
                })
            .build()
            .run();
    assertThat(data.train().size()).isEqualTo(50_000);
    assertThat(result.dev().count()).isEqualTo(5_000);
    assertThat(result.dev().accuracy()).isGreaterThanOrEqualTo(0.45);
    assertThat(result.test().accuracy()).isGreaterThan(0.40);

    Path file = tmp.resolve("seed.zip");
    result.toArtifact().write(file);
    try (Classifier classifier =
        Classifier.builder().setArtifact(ModelArtifact.read(file)).build()) {
      int correct = 0;
      for (int i = 0; i < 200; i++) {
        Prediction p = classifier.classify(data.test().image(i), 1);
        correct += p.index() == data.test().label(i) ? 1 : 0;
      }
      assertThat(correct).isGreaterThan(80);
    }
  }
}
