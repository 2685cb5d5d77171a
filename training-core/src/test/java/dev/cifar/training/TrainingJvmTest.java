package dev.cifar.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cifar.CifarException;
import dev.cifar.artifact.ModelArtifact;
import dev.cifar.data.DataException;
import dev.cifar.evaluation.EpochMetrics;
import dev.cifar.testing.SyntheticCifar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@link TrainJob} in a forked {@link TrainingJvm}: what it reports, writes and throws. */
class TrainingJvmTest {

  @TempDir Path tmp;

  private final List<String> info = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<EpochMetrics> epochs = new ArrayList<>();
  private int batches;

  private final ProgressListener listener =
      new ProgressListener() {
        @Override
        public void onInfo(String line) {
          info.add(line);
        }

        @Override
        public void onWarning(String line) {
          warnings.add(line);
        }

        @Override
        public void onBatch(int epoch, int batch, int of) {
          batches++;
        }

        @Override
        public void onEpoch(EpochMetrics metrics) {
          epochs.add(metrics);
        }
      };

  /** A job of a few epochs over the synthetic data, to be forked or not. */
  private TrainJob.Builder job(Path data, int epochs) {
    return TrainJob.builder()
        .setOptions(
            Map.of(
                TrainingOptions.EPOCHS, Integer.toString(epochs),
                TrainingOptions.BATCH_SIZE, "30",
                TrainingOptions.DEV_SIZE, "50"))
        .setData(data)
        .setArtifact(tmp.resolve("out/model.zip"))
        .setReport(tmp.resolve("out/report.html"));
  }

  private TrainJob.Outcome run(TrainingJvm jvm, Path data) {
    return job(data, 2)
        .optCheckpoints(tmp.resolve("out/checkpoints"))
        .optFork(jvm)
        .optListener(listener)
        .build()
        .run();
  }

  @Test
  void aForkedJobTrainsWithOneArenaAndReportsWhatItWouldInThisProcess() throws IOException {
    Path data = SyntheticCifar.writeDirectory(tmp, 60, 40, 3);

    TrainJob.Outcome outcome = run(TrainingJvm.withThisClasspath(), data);

    assertThat(outcome.trained()).isTrue();
    assertThat(outcome.artifact()).isEqualTo(tmp.resolve("out/model.zip"));
    ModelArtifact artifact = ModelArtifact.read(outcome.artifact());
    assertThat(artifact.metadata().fingerprint()).isEqualTo(outcome.fingerprint());
    assertThat(tmp.resolve("out/report.html")).isNotEmptyFile();
    assertThat(tmp.resolve("out/checkpoints/checkpoint.zip")).isNotEmptyFile();
    String arenas = System.getenv(TrainingJvm.ARENA_MAX);
    assertThat(info)
        .as("the forked JVM says which it is")
        .anyMatch(
            l ->
                l.startsWith("Training JVM: pid ")
                    && !l.startsWith("Training JVM: pid " + ProcessHandle.current().pid() + ",")
                    && l.endsWith(TrainingJvm.ARENA_MAX + "=" + (arenas == null ? "1" : arenas)));
    assertThat(info).anyMatch(l -> l.startsWith("Model artifact written to"));
    assertThat(epochs).extracting(EpochMetrics::epoch).containsExactly(1, 2);
    assertThat(epochs)
        .as("the epochs as the artifact records them, to the bit")
        .extracting(EpochMetrics::trainLoss)
        .containsExactlyElementsOf(
            artifact.metadata().history().stream().map(EpochMetrics::trainLoss).toList());
    assertThat(batches)
        .as("a progress event per step: 2 epochs of 9 batches of up to 30 of the 250 images")
        .isEqualTo(18);

    info.clear();
    TrainJob.Outcome again = run(TrainingJvm.withThisClasspath(), data);
    assertThat(again.trained()).isFalse();
    assertThat(again.fingerprint()).isEqualTo(outcome.fingerprint());
    assertThat(info).anyMatch(l -> l.startsWith("cifar:train is up to date"));
  }

  @Test
  void theForkedJobsErrorComesBackAsItsTypeAndNothingIsWritten() throws IOException {
    Path data = SyntheticCifar.writeDirectory(tmp, 60, 40, 3);
    Path batch = data.resolve("data_batch_2.bin");
    byte[] bytes = Files.readAllBytes(batch);
    Files.write(batch, java.util.Arrays.copyOf(bytes, bytes.length - 100));

    DataException e =
        catchThrowableOfType(DataException.class, () -> run(TrainingJvm.withThisClasspath(), data));

    assertThat(e).hasMessageContaining("data_batch_2.bin");
    assertThat(tmp.resolve("out/model.zip")).doesNotExist();
    assertThat(epochs).isEmpty();
  }

  @Test
  void aForkedJvmThatEndsEarlyIsReportedWithItsExitCodeAndItsOutput() throws IOException {
    Path data = SyntheticCifar.writeDirectory(tmp, 60, 40, 3);
    Path empty = Files.createDirectories(tmp.resolve("no-classes"));

    CifarException e =
        catchThrowableOfType(CifarException.class, () -> run(TrainingJvm.of(List.of(empty)), data));

    assertThat(e)
        .hasMessageStartingWith("The training JVM (pid ")
        .hasMessageContaining("ended with exit code 1 before the job finished");
    assertThat(warnings).anyMatch(l -> l.contains(TrainingJvmMain.class.getName()));
    assertThat(tmp.resolve("out/model.zip")).doesNotExist();
  }

  @Test
  void theForkedJvmStopsItselfWhenTheJvmThatStartedItIsGone() throws Exception {
    Path data = SyntheticCifar.writeDirectory(tmp, 60, 40, 3);
    TrainJob job = job(data, 1000).build();
    Process child =
        new ProcessBuilder(TrainingJvm.withThisClasspath().command(job.arguments()))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (java.io.BufferedReader out =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                child.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.contains(JvmEvents.MARKER + "batch ")) {
        // until it trains
      }
      assertThat(line).as("a training step").isNotNull();
      child.getOutputStream().close(); // what the parent's end does when the parent dies
      while (out.readLine() != null) {
        // until it ends
      }
    }
    assertThat(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("the exit code of an orphaned training JVM").isEqualTo(3);
    assertThat(tmp.resolve("out/model.zip")).doesNotExist();
  }

  @Test
  void aJobBuiltFromAConfigCannotFork() {
    TrainJob.Builder job =
        TrainJob.builder()
            .setConfig(TrainingConfig.builder().build())
            .setData(tmp)
            .setArtifact(tmp.resolve("model.zip"))
            .setReport(tmp.resolve("report.html"))
            .optFork(TrainingJvm.withThisClasspath());

    assertThat(catchThrowableOfType(IllegalStateException.class, job::build))
        .hasMessageContaining("setOptions");
  }

  @Test
  void aJobsArgumentsDescribeTheSameJob() {
    TrainJob job =
        TrainJob.builder()
            .setOptions(Map.of(TrainingOptions.EPOCHS, "3", TrainingOptions.SEED, "7"))
            .setData(tmp.resolve("data dir"))
            .setArtifact(tmp.resolve("a=b/model.zip"))
            .setReport(tmp.resolve("report.html"))
            .optResume(true)
            .build();

    List<String> args = job.arguments();

    assertThat(TrainJob.fromArguments(args).build().arguments()).isEqualTo(args);
    assertThat(args)
        .contains(
            "data=" + tmp.resolve("data dir"),
            "artifact=" + tmp.resolve("a=b/model.zip"),
            "resume=true",
            "force=false",
            "cifar.epochs=3",
            "cifar.seed=7");
    assertThat(
            catchThrowableOfType(
                dev.cifar.ConfigurationException.class,
                () ->
                    TrainJob.fromArguments(
                        List.of("data=x", "artifact=y", "report=z", "colour=red"))))
        .hasMessageContaining("colour");
  }
}
