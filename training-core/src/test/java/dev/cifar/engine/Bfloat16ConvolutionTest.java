package dev.cifar.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The TorchScript bfloat16 convolution: it rounds to bfloat16, pads to "same", and differentiates
 * to float32 gradients that agree with float32's to bfloat16's precision. These hold on CPUs whose
 * kernels {@link PrecisionCheck} measured correct; elsewhere (oneDNN's bfloat16 kernels of some
 * CPUs are wrong) they are skipped, naming the CPU, and the run trains in float32 ({@link
 * ConvolutionMathTest}).
 */
class Bfloat16ConvolutionTest {

  @BeforeEach
  void onlyWhereTheCpuComputesItCorrectly() {
    PrecisionCheck.Result verdict = ConvolutionMath.bfloat16Verdict();
    assumeTrue(
        verdict.correct(),
        () ->
            "bfloat16 convolutions are not used on "
                + CpuInfo.current().describe()
                + ": "
                + verdict.summary());
  }

  @Test
  void roundsToBfloat16AndKeepsTheSize() {
    try (Bfloat16Convolution conv = Bfloat16Convolution.load();
        NDManager manager = NDManager.newBaseManager(Engines.pytorch().getEngineName())) {
      float[] dirac = new float[4 * 4 * 9];
      for (int c = 0; c < 4; c++) {
        dirac[(c * 4 + c) * 9 + 4] = 1f;
      }
      NDArray weight = manager.create(dirac, new Shape(4, 4, 3, 3));
      float exactInFloat32 = 1f + 1f / 1024;
      NDArray input = manager.full(new Shape(2, 4, 5, 7), exactInFloat32);
      NDArray native32 =
          Conv2d.conv2d(input, weight, null, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
      NDArray rounded = conv.convolve(new ParameterStore(manager, false), input, weight, false);
      assertThat(native32.getFloat(1, 2, 3, 4)).isEqualTo(exactInFloat32);
      assertThat(rounded.getShape()).isEqualTo(new Shape(2, 4, 5, 7));
      assertThat(rounded.getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(rounded.getFloat(1, 2, 3, 4)).isEqualTo(1f);
    }
  }

  @Test
  void gradientsAreFloat32AndAgreeWithFloat32sInEveryLayout() {
    Engine engine = Engines.pytorch();
    try (Bfloat16Convolution conv = Bfloat16Convolution.load();
        NDManager manager = NDManager.newBaseManager(engine.getEngineName())) {
      engine.setRandomSeed(3);
      NDArray input = manager.randomNormal(new Shape(8, 16, 9, 9));
      NDArray weight = manager.randomNormal(new Shape(24, 16, 3, 3)).mul(0.1f);
      NDArray upstream = manager.randomNormal(new Shape(8, 24, 9, 9));
      NDArray[] float32 = gradients(engine, input, weight, upstream, null);
      for (NDArray layout : new NDArray[] {input, MemoryLayout.CHANNELS_LAST.apply(input)}) {
        NDArray[] bfloat16 = gradients(engine, layout, weight, upstream, conv);
        for (int i = 0; i < 3; i++) {
          assertThat(bfloat16[i].getDataType()).isEqualTo(DataType.FLOAT32);
          assertThat(relativeError(bfloat16[i], float32[i]))
              .as("output, input and weight gradient %d", i)
              .isGreaterThan(1e-5)
              .isLessThan(2e-2);
        }
      }
    }
  }

  /** The output, input gradient and weight gradient of sum(conv(input, weight) * upstream). */
  private static NDArray[] gradients(
      Engine engine, NDArray input, NDArray weight, NDArray upstream, Bfloat16Convolution conv) {
    NDArray x = input.duplicate();
    NDArray w = weight.duplicate();
    x.setRequiresGradient(true);
    w.setRequiresGradient(true);
    try (GradientCollector collector = engine.newGradientCollector()) {
      NDArray y =
          conv == null
              ? Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow()
              : conv.convolve(new ParameterStore(x.getManager(), false), x, w, true);
      collector.backward(y.mul(upstream).sum());
      return new NDArray[] {
        y.stopGradient(), x.getGradient().duplicate(), w.getGradient().duplicate()
      };
    }
  }

  private static double relativeError(NDArray actual, NDArray expected) {
    return actual.sub(expected).norm().getFloat() / expected.norm().getFloat();
  }
}
