package dev.cifar.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check that decides whether bfloat16 convolutions may train on a CPU: it refuses a convolution
 * that is wrong in its output or in either gradient, that fails, or that is not faster, and passes
 * a correct one. Runs on every CPU: the candidates are made from float32 convolutions, in a layout
 * measured correct here (skipped, with the measurements, where there is none).
 */
class PrecisionCheckTest {

  /** A layout in which this process measured libtorch's float32 convolutions correct. */
  private static MemoryLayout correct;

  @BeforeAll
  static void findACorrectLayout() {
    StringBuilder found = new StringBuilder();
    for (MemoryLayout layout : MemoryLayout.values()) {
      correct = layout;
      PrecisionCheck.Accuracy accuracy =
          PrecisionCheck.accuracy(PrecisionCheckTest::float32, layout);
      if (accuracy.correct()) {
        return;
      }
      found.append(layout).append(": ").append(accuracy.summary()).append("; ");
    }
    assumeTrue(false, "no layout computes float32 convolutions right here: " + found);
  }

  /** libtorch's float32 convolution, run in a layout measured correct here. */
  private static NDArray float32(NDArray input, NDArray weight) {
    long pad = weight.getShape().get(2) / 2;
    return Conv2d.conv2d(correct.apply(input), weight, null, new Shape(1, 1), new Shape(pad, pad))
        .singletonOrThrow();
  }

  @Test
  void aCorrectConvolutionPassesInEveryGeometryAndLayout() {
    PrecisionCheck.Result result = PrecisionCheck.check(PrecisionCheckTest::float32);
    assertThat(result.correct()).as(result.summary()).isTrue();
    assertThat(result.summary()).contains("within", "ms against");
  }

  @Test
  void aWrongOutputIsRefused() {
    PrecisionCheck.Result result = PrecisionCheck.check((x, w) -> float32(x, w).mul(1.05f));
    assertThat(result.correct()).isFalse();
    assertThat(result.usable()).isFalse();
    assertThat(result.summary()).startsWith("wrong on this CPU: the output");
  }

  @Test
  void aWrongGradientWithARightOutputIsRefused() {
    // the output is float32's; the gradients flow through a second, scaled convolution too
    PrecisionCheck.Result result =
        PrecisionCheck.check(
            (x, w) -> {
              NDArray extra = float32(x, w.mul(0.1f));
              return float32(x, w).add(extra).sub(extra.stopGradient());
            });
    assertThat(result.correct()).isFalse();
    assertThat(result.summary()).startsWith("wrong on this CPU: the input gradient");
  }

  @Test
  void aConvolutionThatFailsIsRefused() {
    PrecisionCheck.Result result =
        PrecisionCheck.check(
            (x, w) -> {
              throw new EngineException("could not create a primitive");
            });
    assertThat(result.usable()).isFalse();
    assertThat(result.summary()).isEqualTo("fails on this CPU: could not create a primitive");
  }

  @Test
  void aCorrectButSlowerConvolutionIsNotUsed() {
    PrecisionCheck.Result result =
        PrecisionCheck.check(
            (x, w) -> {
              NDArray y = float32(x, w);
              if (x.getShape().get(1) == 256) {
                float32(x, w).mul(2).sum().getFloat();
                float32(x, w).mul(2).sum().getFloat();
              }
              return y;
            });
    assertThat(result.correct()).isTrue();
    assertThat(result.faster()).isFalse();
    assertThat(result.usable()).isFalse();
    assertThat(result.summary()).endsWith("(not faster here)");
  }

  @Test
  void cpuInfoNamesTheModelTheExtensionsAndTheCap(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("cpuinfo");
    Files.writeString(
        file,
        "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\nmodel"
            + " name\t: AMD EPYC 9R14\nflags\t\t: fpu avx2 avx512f avx512_bf16\n\nprocessor\t: 1\n"
            + "model name\t: other\ncpu family\t: 6\n");
    CpuInfo cpu = CpuInfo.read(file, "AVX2");
    assertThat(cpu.describe())
        .isEqualTo(
            "AMD EPYC 9R14 (family 25 model 17; avx512_bf16, avx512, avx2; no amx,"
                + " ONEDNN_MAX_CPU_ISA=AVX2)");
    assertThat(cpu.amd()).isTrue();
    assertThat(CpuInfo.read(dir.resolve("missing"), null).describe())
        .isEqualTo("unknown CPU (no amx, no avx512_bf16, no avx512, no avx2)");
  }
}
