package dev.cifar.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cifar.CifarException;
import dev.cifar.ConfigurationException;
import dev.cifar.evaluation.EpochMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The line protocol of the forked training JVM: every event survives the trip unchanged. */
class JvmEventsTest {

  private final List<String> heard = new ArrayList<>();
  private final List<EpochMetrics> epochs = new ArrayList<>();
  private final JvmEvents.Reader reader =
      new JvmEvents.Reader(
          new ProgressListener() {
            @Override
            public void onInfo(String line) {
              heard.add("info:" + line);
            }

            @Override
            public void onWarning(String line) {
              heard.add("warn:" + line);
            }

            @Override
            public void onBatch(int epoch, int batch, int batches) {
              heard.add("batch:" + epoch + "/" + batch + "/" + batches);
            }

            @Override
            public void onEpoch(EpochMetrics metrics) {
              epochs.add(metrics);
            }
          });

  /** Writes with a {@link JvmEvents.Writer} and reads every line back. */
  private void roundTrip(java.util.function.Consumer<JvmEvents.Writer> write) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    write.accept(new JvmEvents.Writer(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
    bytes.toString(StandardCharsets.UTF_8).lines().forEach(reader::accept);
  }

  @Test
  void everyListenerCallComesBackTheSameIncludingLineBreaksAndBackslashes() {
    EpochMetrics metrics =
        new EpochMetrics(3, 10, 1.0 / 3, 0.51, Double.NaN, Double.NaN, 9876.5, 4.25);
    roundTrip(
        w -> {
          w.onInfo("two\nlines \\n and a \\ backslash\r");
          w.onWarning("file C:\\data is odd");
          w.onBatch(2, 17, 352);
          w.onEpoch(metrics);
        });

    assertThat(heard)
        .containsExactly(
            "info:two\nlines \\n and a \\ backslash\r",
            "warn:file C:\\data is odd",
            "batch:2/17/352");
    assertThat(epochs).containsExactly(metrics);
  }

  @Test
  void theOutcomeAndATypedErrorComeBack() {
    roundTrip(w -> w.done(new TrainJob.Outcome(true, Path.of("/a b/model.zip"), "abc123")));
    assertThat(reader.outcome())
        .isEqualTo(new TrainJob.Outcome(true, Path.of("/a b/model.zip"), "abc123"));

    roundTrip(w -> w.error(new TrainingDivergedException("loss is NaN\nat batch 4", 2, 4)));
    TrainingDivergedException diverged = (TrainingDivergedException) reader.error();
    assertThat(diverged).hasMessage("loss is NaN\nat batch 4");
    assertThat(diverged.epoch()).isEqualTo(2);
    assertThat(diverged.batch()).isEqualTo(4);

    roundTrip(w -> w.error(new ConfigurationException("cifar.epochs must be at least 1")));
    assertThat(reader.error())
        .isExactlyInstanceOf(ConfigurationException.class)
        .hasMessage("cifar.epochs must be at least 1");
    roundTrip(w -> w.error(new CifarException("other")));
    assertThat(reader.error()).isExactlyInstanceOf(CifarException.class).hasMessage("other");
  }

  @Test
  void theForkedJvmIsToldTheLoggingProviderThatExists() {
    assertThat(TrainingJvm.LOGGING_PROVIDER).isEqualTo(JvmEventLogging.class.getName());
  }

  @Test
  void nativeOutputIsPassedOnAndAnEventAfterHalfALineIsStillRead() {
    reader.accept("onednn_verbose,exec,cpu,convolution,brg_conv_fwd:avx512_core");
    reader.accept("onednn_verb" + JvmEvents.MARKER + "batch 1 2 3");

    assertThat(heard)
        .containsExactly(
            "info:onednn_verbose,exec,cpu,convolution,brg_conv_fwd:avx512_core",
            "info:onednn_verb",
            "batch:1/2/3");
    assertThat(
            catchThrowableOfType(
                IllegalArgumentException.class, () -> reader.accept(JvmEvents.MARKER + "nonsense")))
        .hasMessageContaining("nonsense");
  }
}
