package dev.cifar.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import dev.cifar.testing.SyntheticCifar;
import dev.cifar.testing.TrainUntilKilled;
import dev.cifar.training.ProgressListener;
import dev.cifar.training.Training;
import dev.cifar.training.TrainingConfig;
import dev.cifar.training.TrainingDivergedException;
import dev.cifar.training.TrainingResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults during training: a SIGKILL in the middle of an epoch, and a diverging run. */
class KilledTrainingIT {

  @TempDir Path tmp;

  @Test
  void aRunKilledMidEpochResumesToTheSameResultAsAnUninterruptedOne() throws Exception {
    Path checkpoints = tmp.resolve("checkpoints");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dai.djl.offline=true",
                TrainUntilKilled.class.getName(),
                checkpoints.toString(),
                "3")
            .redirectErrorStream(true)
            .start();
    List<String> seen = new ArrayList<>();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        seen.add(line);
        if (line.equals("batch 2 5")) {
          child.destroyForcibly(); // SIGKILL, in the middle of epoch 2
          break;
        }
      }
    }
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(seen).as("the child's output").contains("batch 2 5").doesNotContain("finished");
    assertThat(child.exitValue()).isEqualTo(137);

    try (Stream<Path> files = Files.list(checkpoints)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("checkpoint.zip");
    }

    List<String> info = new ArrayList<>();
    TrainingResult resumed =
        Training.builder()
            .setConfig(TrainUntilKilled.config(3))
            .setTrainingSet(SyntheticCifar.images(400, 31))
            .optCheckpoints(checkpoints)
            .optResume(true)
            .optListener(
                new ProgressListener() {
                  @Override
                  public void onInfo(String line) {
                    info.add(line);
                  }
                })
            .build()
            .run();
    TrainingResult straight =
        Training.builder()
            .setConfig(TrainUntilKilled.config(3))
            .setTrainingSet(SyntheticCifar.images(400, 31))
            .build()
            .run();
    assertThat(info).anyMatch(l -> l.contains("after epoch 1 of 3"));
    assertThat(resumed.history()).hasSize(3);
    // epoch 1 came from the child process: libtorch's multi-threaded reductions may differ in
    // the last bits between processes, so compare results to a tolerance (CheckpointTest,
    // in one process, is bit for bit)
    for (int i = 0; i < 3; i++) {
      assertThat(resumed.history().get(i).trainLoss())
          .isCloseTo(straight.history().get(i).trainLoss(), within(1e-3));
      assertThat(resumed.history().get(i).devLoss())
          .isCloseTo(straight.history().get(i).devLoss(), within(1e-3));
    }
  }

  @Test
  void aDivergingRunStopsNamingEpochAndBatchAndKeepsTheLastGoodCheckpoint() throws IOException {
    Path checkpoints = tmp.resolve("checkpoints");
    Training.builder()
        .setConfig(TrainingConfig.builder().optEpochs(1).optBatchSize(25).optDevSize(50).build())
        .setTrainingSet(SyntheticCifar.images(200, 2))
        .optCheckpoints(checkpoints)
        .build()
        .run();
    byte[] good = Files.readAllBytes(checkpoints.resolve("checkpoint.zip"));

    Training diverging =
        Training.builder()
            .setConfig(
                TrainingConfig.builder()
                    .optEpochs(3)
                    .optBatchSize(25)
                    .optDevSize(50)
                    .optLearningRate(1e7f)
                    .build())
            .setTrainingSet(SyntheticCifar.images(200, 2))
            .optCheckpoints(checkpoints)
            .build();
    TrainingDivergedException e =
        catchThrowableOfType(TrainingDivergedException.class, diverging::run);
    assertThat(e).isNotNull();
    assertThat(e.getMessage())
        .matches("Training diverged at epoch \\d+, batch \\d+ of 6: the loss is (NaN|Infinity).*")
        .contains("cifar.learningRate");
    byte[] after = Files.readAllBytes(checkpoints.resolve("checkpoint.zip"));
    if (e.epoch() == 1) {
      assertThat(after)
          .as("nothing replaces the checkpoint before an epoch completes")
          .isEqualTo(good);
    } else {
      assertThat(checkpointEpoch(checkpoints))
          .as("the last complete epoch is kept")
          .isEqualTo(e.epoch() - 1);
    }
  }

  private static int checkpointEpoch(Path dir) throws IOException {
    try (var zip = new java.util.zip.ZipFile(dir.resolve("checkpoint.zip").toFile())) {
      String json =
          new String(
              zip.getInputStream(zip.getEntry("checkpoint.json")).readAllBytes(),
              StandardCharsets.UTF_8);
      return com.google.gson.JsonParser.parseString(json).getAsJsonObject().get("epoch").getAsInt();
    }
  }
}
