package dev.cifar.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cifar.ConfigurationException;
import dev.cifar.data.LabeledImages;
import dev.cifar.testing.SyntheticCifar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  private static final LabeledImages IMAGES = SyntheticCifar.images(400, 21);

  @TempDir Path tmp;

  private static TrainingResult train(
      int epochs, Path checkpoints, boolean resume, List<String> info) {
    Training.Builder b =
        Training.builder()
            .setConfig(
                TrainingConfig.builder()
                    .optEpochs(epochs)
                    .optBatchSize(40)
                    .optDevSize(50)
                    .optSeed(5)
                    .build())
            .setTrainingSet(IMAGES)
            .optListener(
                new ProgressListener() {
                  @Override
                  public void onInfo(String line) {
                    info.add(line);
                  }
                });
    if (checkpoints != null) {
      b.optCheckpoints(checkpoints).optResume(resume);
    }
    return b.build().run();
  }

  @Test
  void aResumedRunEndsExactlyWhereAnUninterruptedOneDoes() throws IOException {
    TrainingResult uninterrupted = train(3, null, false, new ArrayList<>());

    Path dir = tmp.resolve("checkpoints");
    TrainingResult first = train(2, dir, false, new ArrayList<>());
    assertThat(first.history()).hasSize(2);
    assertThat(dir.resolve(Checkpoint.FILE)).isRegularFile();

    List<String> info = new ArrayList<>();
    TrainingResult resumed = train(3, dir, true, info);
    assertThat(info).anyMatch(l -> l.contains("Resuming from") && l.contains("after epoch 2 of 3"));
    assertThat(resumed.history()).hasSize(3);
    assertThat(resumed.history().subList(0, 2)).isEqualTo(first.history());
    assertThat(resumed.history().get(2).trainLoss())
        .isEqualTo(uninterrupted.history().get(2).trainLoss());
    assertThat(resumed.parameters()).isEqualTo(uninterrupted.parameters());
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly(Checkpoint.FILE);
    }
  }

  @Test
  void resumingWithoutACheckpointStartsOverAndSaysSo() {
    List<String> info = new ArrayList<>();
    TrainingResult result = train(1, tmp.resolve("none"), true, info);
    assertThat(result.history()).hasSize(1);
    assertThat(info).anyMatch(l -> l.startsWith("No checkpoint in"));
  }

  @Test
  void aCheckpointOfOtherSettingsIsRefused() {
    Path dir = tmp.resolve("checkpoints");
    train(1, dir, false, new ArrayList<>());
    Training other =
        Training.builder()
            .setConfig(
                TrainingConfig.builder()
                    .optEpochs(2)
                    .optBatchSize(20)
                    .optDevSize(50)
                    .optSeed(5)
                    .build())
            .setTrainingSet(IMAGES)
            .optCheckpoints(dir)
            .optResume(true)
            .build();
    assertThatThrownBy(other::run)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("other data or settings");
  }
}
