package dev.cifar.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import java.util.function.Consumer;

/**
 * Chooses the arithmetic of a training run's CPU convolutions. bfloat16 ({@link
 * Bfloat16Convolution}) is used only where this process has measured it correct and faster ({@link
 * PrecisionCheck}), once per process; elsewhere, and on a GPU, the run computes in float32 and says
 * why in one line. Nothing here changes the process: a bfloat16 run switches its own network's
 * convolutions ({@code PrecisionConv2d}), so a later float32 run in the same JVM computes in
 * float32. The one process-wide setting that rounds float32 convolutions, oneDNN's math mode from
 * {@value #VARIABLE} in the environment, is measured and reported.
 */
public final class ConvolutionMath {

  /** oneDNN's environment variable for its default math mode. */
  static final String VARIABLE = "ONEDNN_DEFAULT_FPMATH_MODE";

  /** 1 + 2^-10: exact in float32, 1 in bfloat16 (8 significant bits). */
  private static final float PROBE = 1f + 1f / 1024;

  private static PrecisionCheck.Result bfloat16;

  private ConvolutionMath() {}

  /**
   * Decides the precision of a run's convolutions on a device.
   *
   * @param wanted the precision asked for
   * @param device the training device
   * @param info receives a line when bfloat16 is in effect as asked
   * @param warning receives a line when the precision in effect is not the one asked for
   * @return the precision the run's convolutions compute in
   */
  public static synchronized Precision apply(
      Precision wanted, Device device, Consumer<String> info, Consumer<String> warning) {
    if (device.isGpu()) {
      if (wanted == Precision.BFLOAT16) {
        warning.accept(
            "cifar.precision=bfloat16 applies to CPU convolutions; on "
                + device
                + " they compute in float32");
      }
      return Precision.FLOAT32;
    }
    if (probe() == Precision.BFLOAT16) {
      warning.accept(
          VARIABLE
              + "="
              + System.getenv(VARIABLE)
              + " in the environment rounds every float32"
              + " convolution of this process to bfloat16; unset it for float32 arithmetic");
    }
    if (wanted == Precision.FLOAT32) {
      return Precision.FLOAT32;
    }
    PrecisionCheck.Result verdict = bfloat16Verdict();
    if (verdict.usable()) {
      info.accept(
          "Convolutions compute in bfloat16, weights, batch norm and the optimizer in float32"
              + " (cifar.precision), as measured on "
              + CpuInfo.current().describe()
              + ": "
              + verdict.summary());
      return Precision.BFLOAT16;
    }
    warning.accept(
        "cifar.precision=bfloat16, but the bfloat16 convolution is "
            + verdict.summary()
            + " on "
            + CpuInfo.current().describe()
            + "; the run goes on in float32");
    return Precision.FLOAT32;
  }

  /**
   * The bfloat16 convolution's verdict on this CPU, measured on first use.
   *
   * @return whether it is correct and faster here, with the figures
   */
  public static synchronized PrecisionCheck.Result bfloat16Verdict() {
    if (bfloat16 == null) {
      try (Bfloat16Convolution conv = Bfloat16Convolution.load()) {
        bfloat16 =
            PrecisionCheck.check(
                (input, weight) ->
                    conv.convolve(
                        new ParameterStore(input.getManager(), false), input, weight, true));
      } catch (IllegalStateException e) {
        bfloat16 = new PrecisionCheck.Result(false, false, "not available: " + e.getMessage());
      }
    }
    return bfloat16;
  }

  /**
   * Measures the precision of float32 CPU convolutions now: an identity convolution of 1 + 2^-10.
   *
   * @return bfloat16 when the result is rounded to 1 (a math mode rounds them), else float32
   */
  public static Precision probe() {
    try (NDManager manager =
        NDManager.newBaseManager(Device.cpu(), Engines.pytorch().getEngineName())) {
      int channels = 16;
      float[] dirac = new float[channels * channels * 9];
      for (int c = 0; c < channels; c++) {
        dirac[(c * channels + c) * 9 + 4] = 1f;
      }
      NDArray weight = manager.create(dirac, new Shape(channels, channels, 3, 3));
      NDArray input = manager.full(new Shape(16, channels, 8, 8), PROBE);
      NDArray output =
          Conv2d.conv2d(input, weight, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1))
              .singletonOrThrow();
      return output.getFloat(0, 0, 4, 4) == PROBE ? Precision.FLOAT32 : Precision.BFLOAT16;
    }
  }
}
