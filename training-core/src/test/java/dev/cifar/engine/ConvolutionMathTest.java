package dev.cifar.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.cifar.testing.SyntheticCifar;
import dev.cifar.training.ProgressListener;
import dev.cifar.training.Training;
import dev.cifar.training.TrainingConfig;
import dev.cifar.training.TrainingResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bfloat16 convolutions: asked for, measured on this CPU, used only where correct and faster, and
 * reported; float32 everywhere else, and nothing left behind for later runs. The test JVM pins
 * oneDNN's math mode to float32 ({@code ONEDNN_DEFAULT_FPMATH_MODE=STRICT} in the build), whatever
 * the developer's environment says.
 */
class ConvolutionMathTest {

  /**
   * The engine's one line about oneDNN's cache sizes (a warning under cifar.oneDnnCaches=keep)
   * comes once per process, in whichever run starts first: taken here, so that the runs below hear
   * only about their precision.
   */
  @BeforeAll
  static void engineStarted() {
    Engines.pytorch();
    OneDnnCaches.report(line -> {}, line -> {});
  }

  @Test
  void float32StaysFloat32WithoutAWord() {
    List<String> lines = new ArrayList<>();
    assertThat(ConvolutionMath.apply(Precision.FLOAT32, Device.cpu(), lines::add, lines::add))
        .isEqualTo(Precision.FLOAT32);
    assertThat(lines).isEmpty();
  }

  @Test
  void bfloat16IsUsedWhereMeasuredCorrectAndFasterElseOneLineSaysWhyNot() {
    PrecisionCheck.Result verdict = ConvolutionMath.bfloat16Verdict();
    List<String> infos = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Precision effective =
        ConvolutionMath.apply(Precision.BFLOAT16, Device.cpu(), infos::add, warnings::add);
    String cpu = CpuInfo.current().describe();
    if (verdict.usable()) {
      assertThat(effective).isEqualTo(Precision.BFLOAT16);
      assertThat(warnings).isEmpty();
      assertThat(infos).singleElement().asString().contains("bfloat16", cpu, verdict.summary());
    } else {
      assertThat(effective).isEqualTo(Precision.FLOAT32);
      assertThat(infos).isEmpty();
      assertThat(warnings)
          .singleElement()
          .asString()
          .startsWith("cifar.precision=bfloat16, but")
          .contains(verdict.summary(), cpu, "the run goes on in float32");
    }
    assertThat(ConvolutionMath.bfloat16Verdict()).as("measured once per process").isSameAs(verdict);
  }

  @Test
  void theFastRecipeTrainsInBfloat16OnlyWhereMeasuredAndLeavesFloat32RunsAlone() {
    List<String> warnings = new ArrayList<>();
    TrainingResult result =
        train(TrainingConfig.builder().optNetwork("fast").optEpochs(2), 400, warnings);
    assertThat(result.config().precision())
        .as("the recipe asks for it")
        .isEqualTo(Precision.BFLOAT16);
    assertThat(result.history().get(1).trainLoss())
        .isFinite()
        .isLessThan(result.history().get(0).trainLoss());
    if (ConvolutionMath.bfloat16Verdict().usable()) {
      assertThat(result.device()).endsWith(", bfloat16 convolutions");
      assertThat(warnings).isEmpty();
    } else {
      assertThat(result.device()).doesNotContain("bfloat16");
      assertThat(warnings).singleElement().asString().startsWith("cifar.precision=bfloat16");
    }
    assertThat(ConvolutionMath.probe())
        .as("float32 convolutions after a bfloat16 run")
        .isEqualTo(Precision.FLOAT32);
  }

  @Test
  void aNetworkWithoutBfloat16ConvolutionsTrainsInFloat32AndIsTold() {
    List<String> warnings = new ArrayList<>();
    TrainingResult result =
        train(
            TrainingConfig.builder()
                .optNetwork("seed")
                .optEpochs(1)
                .optPrecision(Precision.BFLOAT16),
            300,
            warnings);
    assertThat(result.device()).doesNotContain("bfloat16");
    assertThat(warnings).singleElement().asString().startsWith("cifar.precision=bfloat16, but");
  }

  /** Trains on synthetic images in batches of 100 with 100 dev images, collecting the warnings. */
  private static TrainingResult train(
      TrainingConfig.Builder config, int images, List<String> warnings) {
    return Training.builder()
        .setConfig(config.optBatchSize(100).optDevSize(100).build())
        .setTrainingSet(SyntheticCifar.images(images, 5))
        .optListener(
            new ProgressListener() {
              @Override
              public void onWarning(String line) {
                warnings.add(line);
              }
            })
        .build()
        .run();
  }

  @Test
  void onAGpuConvolutionsStayFloat32AndTheRunIsTold() {
    List<String> warnings = new ArrayList<>();
    Precision effective =
        ConvolutionMath.apply(Precision.BFLOAT16, Device.gpu(), line -> {}, warnings::add);
    assertThat(effective).isEqualTo(Precision.FLOAT32);
    assertThat(warnings).singleElement().asString().contains("applies to CPU convolutions");
  }
}
