package dev.cifar.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cifar.artifact.ModelArtifact;
import dev.cifar.testing.SyntheticCifar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainJobTest {

  @TempDir Path tmp;

  private final List<String> lines = new ArrayList<>();

  private TrainJob.Outcome run(TrainingConfig config, Path data, boolean force) {
    return TrainJob.builder()
        .setConfig(config)
        .setData(data)
        .setArtifact(tmp.resolve("out/model.zip"))
        .setReport(tmp.resolve("out/report.html"))
        .optForce(force)
        .optListener(
            new ProgressListener() {
              @Override
              public void onInfo(String line) {
                lines.add(line);
              }
            })
        .build()
        .run();
  }

  @Test
  void trainsOnceThenFindsTheArtifactUpToDateUntilAnInputChanges() throws IOException {
    Path data = SyntheticCifar.writeDirectory(tmp, 60, 40, 3);
    TrainingConfig config =
        TrainingConfig.builder().optEpochs(1).optBatchSize(30).optDevSize(50).build();

    TrainJob.Outcome first = run(config, data, false);
    assertThat(first.trained()).isTrue();
    assertThat(ModelArtifact.read(first.artifact()).metadata().fingerprint())
        .isEqualTo(first.fingerprint());
    assertThat(tmp.resolve("out/report.html")).isNotEmptyFile();
    assertThat(lines).anyMatch(l -> l.startsWith("Model artifact written to"));

    Files.delete(tmp.resolve("out/report.html"));
    lines.clear();
    TrainJob.Outcome again = run(config, data, false);
    assertThat(again.trained()).isFalse();
    assertThat(again.fingerprint()).isEqualTo(first.fingerprint());
    assertThat(lines).anyMatch(l -> l.startsWith("cifar:train is up to date"));
    assertThat(tmp.resolve("out/report.html"))
        .as("a missing report is written again")
        .isNotEmptyFile();

    assertThat(run(config, data, true).trained()).as("cifar.force").isTrue();
    assertThat(lines).contains("Training: forced (cifar.force)");
    TrainJob.Outcome other =
        run(
            TrainingConfig.builder().optEpochs(2).optBatchSize(30).optDevSize(50).build(),
            data,
            false);
    assertThat(other.trained()).as("another configuration").isTrue();
    assertThat(other.fingerprint()).isNotEqualTo(first.fingerprint());
  }
}
