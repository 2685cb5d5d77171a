package dev.cifar.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.Locale;
import java.util.Random;

/**
 * Measures, in this process on this CPU, whether a convolution computes what float32 arithmetic
 * does, and whether a bfloat16 one may be used for training. {@link #accuracy} holds a
 * convolution's output, input gradient and weight gradient to a float32 convolution's ({@link
 * ReferenceConvolution}, computed in Java) within {@value #TOLERANCE} relative error, on several
 * geometries in the memory layouts asked for: oneDNN's kernels differ between CPUs, and one that is
 * wrong on a CPU must not train or serve there. It checks libtorch's own float32 kernels ({@link
 * ConvolutionLayouts}) as well as bfloat16 candidates. {@link #check} also asks a bfloat16
 * candidate to be faster: a forward and backward step of a convolution of the {@code fast}
 * network's size must take less than {@value #SPEED_RATIO} of the float32 convolution's time.
 */
public final class PrecisionCheck {

  /**
   * The largest relative error (Frobenius norm) a correct convolution shows: 2%, bfloat16's
   * rounding. Float32 kernels stay near 1e-7; a wrong kernel is off by far more.
   */
  public static final double TOLERANCE = 2e-2;

  /** The share of float32's time a bfloat16 step may take at most to count as faster. */
  public static final double SPEED_RATIO = 0.9;

  /**
   * Geometries checked: batch, input channels, output channels, side, kernel. oneDNN computes in
   * blocks of 16 channels; 24 and 40 channels leave a padded tail block on the side a sum runs
   * over: the input channels in the output, the output channels in the input gradient.
   */
  private static final int[][] GEOMETRIES = {
    {4, 16, 24, 9, 3}, {4, 24, 40, 7, 3}, {2, 64, 32, 6, 3}, {3, 8, 8, 5, 1}
  };

  /** The timed convolution: 256 channels at 8x8, as in the {@code fast} network's last groups. */
  private static final Shape TIMED_INPUT = new Shape(32, 256, 8, 8);

  private static final Shape TIMED_WEIGHT = new Shape(256, 256, 3, 3);
  private static final String[] PARTS = {"output", "input gradient", "weight gradient"};

  private PrecisionCheck() {}

  /** A differentiable convolution under test: stride 1, "same" padding, float32 in and out. */
  @FunctionalInterface
  public interface Candidate {
    /**
     * Convolves, recording gradients.
     *
     * @param input NCHW batch (any memory layout)
     * @param weight OIHW weight
     * @return the output
     */
    NDArray convolve(NDArray input, NDArray weight);
  }

  /**
   * What the check found.
   *
   * @param correct whether every output and gradient agreed within the tolerance
   * @param faster whether it was also faster than float32 (false when not correct)
   * @param summary the errors and times measured, or what failed, for a log line
   */
  public record Result(boolean correct, boolean faster, String summary) {

    /**
     * @return whether the candidate may be used: correct and faster
     */
    public boolean usable() {
      return correct && faster;
    }
  }

  /**
   * How close a convolution came to float32's, in the layouts checked.
   *
   * @param correct whether every output and gradient agreed within the tolerance
   * @param summary the largest error and where, what was wrong, or what failed, for a log line
   */
  public record Accuracy(boolean correct, String summary) {}

  /** The largest relative error seen so far, where it was, and the verdict it gives. */
  static final class Tally {
    private double worst;
    private String where = "";

    /**
     * Counts one error.
     *
     * @param error a relative error
     * @param what what it is the error of, for the summary
     * @return the verdict "wrong" when the error is over the tolerance, else null
     */
    Accuracy add(double error, String what) {
      if (!(error <= worst)) {
        worst = error;
        where = what;
      }
      if (!(error <= TOLERANCE)) {
        return new Accuracy(
            false,
            String.format(
                Locale.ROOT,
                "wrong on this CPU: the %s is off by %.3g relative to float32 (at most %.3g)",
                where,
                error,
                TOLERANCE));
      }
      return null;
    }

    /**
     * @param scope what was checked, e.g. " on 6 convolution geometries", or empty
     * @return the verdict "correct", with the largest error
     */
    Accuracy result(String scope) {
      return new Accuracy(
          true,
          String.format(
              Locale.ROOT, "within %.2g of float32%s (largest: %s)", worst, scope, where));
    }
  }

  /**
   * Checks a candidate on the CPU: correct, then faster.
   *
   * @param candidate the bfloat16 convolution
   * @return the verdict; a candidate that throws is not correct
   */
  public static Result check(Candidate candidate) {
    Accuracy accuracy = accuracy(candidate, MemoryLayout.values());
    if (!accuracy.correct()) {
      return new Result(false, false, accuracy.summary());
    }
    Engine engine = Engines.pytorch();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), engine.getEngineName())) {
      double[] times = times(engine, manager, candidate);
      boolean faster = times[0] < SPEED_RATIO * times[1];
      return new Result(
          true,
          faster,
          String.format(
              Locale.ROOT,
              "%s; a step of a 256-channel convolution"
                  + " takes %.1f ms against %.1f ms in float32 (%s)",
              accuracy.summary(),
              times[0],
              times[1],
              faster ? "faster" : "not faster here"));
    } catch (RuntimeException e) {
      return new Result(false, false, "fails on this CPU: " + e.getMessage());
    }
  }

  /**
   * Checks a candidate's output and gradients against float32's on every geometry, its input given
   * in each of the layouts.
   *
   * @param candidate the convolution
   * @param layouts the layouts of the input
   * @return the verdict; a candidate that throws is not correct
   */
  public static Accuracy accuracy(Candidate candidate, MemoryLayout... layouts) {
    Engine engine = Engines.pytorch();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), engine.getEngineName())) {
      Tally tally = new Tally();
      Random random = new Random(20_261_201L);
      for (MemoryLayout layout : layouts) {
        for (int[] g : GEOMETRIES) {
          double[] errors = errors(engine, manager, candidate, random, g, layout);
          for (int i = 0; i < errors.length; i++) {
            String what =
                String.format(
                    Locale.ROOT,
                    "%s of %d->%d channels %dx%d %s",
                    PARTS[i],
                    g[1],
                    g[2],
                    g[3],
                    g[3],
                    layout);
            Accuracy wrong = tally.add(errors[i], what);
            if (wrong != null) {
              return wrong;
            }
          }
        }
      }
      return tally.result("");
    } catch (RuntimeException e) {
      return new Accuracy(false, "fails on this CPU: " + e.getMessage());
    }
  }

  /** The relative errors of output, input gradient and weight gradient on one geometry. */
  private static double[] errors(
      Engine engine,
      NDManager manager,
      Candidate candidate,
      Random random,
      int[] g,
      MemoryLayout layout) {
    int n = g[0];
    int c = g[1];
    int o = g[2];
    int side = g[3];
    int k = g[4];
    float[] x = normal(random, n * c * side * side, 1);
    float[] w = normal(random, o * c * k * k, 1 / (float) Math.sqrt(c * k * k));
    float[] up = normal(random, n * o * side * side, 1);
    ReferenceConvolution reference = new ReferenceConvolution(n, c, o, side, side, k);
    try (NDManager sub = manager.newSubManager()) {
      NDArray input = layout.apply(sub.create(x, new Shape(n, c, side, side)));
      float[][] got =
          gradients(
              engine,
              candidate,
              input,
              sub.create(w, new Shape(o, c, k, k)),
              sub.create(up, new Shape(n, o, side, side)));
      return new double[] {
        relativeError(got[0], reference.forward(x, w)),
        relativeError(got[1], reference.inputGradient(w, up)),
        relativeError(got[2], reference.weightGradient(x, up))
      };
    }
  }

  /**
   * Output, input gradient and weight gradient of {@code sum(conv(input, weight) * upstream)}, NCHW
   * order.
   */
  static float[][] gradients(
      Engine engine, Candidate candidate, NDArray input, NDArray weight, NDArray upstream) {
    input.setRequiresGradient(true);
    weight.setRequiresGradient(true);
    try (GradientCollector collector = engine.newGradientCollector()) {
      NDArray y = candidate.convolve(input, weight);
      collector.backward(y.mul(upstream).sum());
      // flattening copies a channels-last tensor into NCHW order
      return new float[][] {
        y.stopGradient().reshape(-1).toFloatArray(),
        input.getGradient().reshape(-1).toFloatArray(),
        weight.getGradient().reshape(-1).toFloatArray()
      };
    }
  }

  /**
   * Milliseconds of a forward and backward step, candidate then float32: the best of three after a
   * warm-up, or the warm-up alone when the candidate took over ten times float32's there.
   */
  private static double[] times(Engine engine, NDManager manager, Candidate candidate) {
    Candidate float32 =
        (input, weight) ->
            Conv2d.conv2d(input, weight, null, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
    Candidate[] both = {candidate, float32};
    double[] best = new double[2];
    try (NDManager sub = manager.newSubManager()) {
      NDArray input = MemoryLayout.CHANNELS_LAST.apply(sub.randomNormal(TIMED_INPUT));
      NDArray weight = sub.randomNormal(TIMED_WEIGHT).mul(0.02f);
      NDArray upstream = MemoryLayout.CHANNELS_LAST.apply(sub.randomNormal(TIMED_INPUT));
      for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 2; i++) {
          try (NDManager step = sub.newSubManager()) {
            NDArray x = input.duplicate();
            NDArray w = weight.duplicate();
            x.attach(step);
            w.attach(step);
            long t0 = System.nanoTime();
            gradients(engine, both[i], x, w, upstream);
            double ms = (System.nanoTime() - t0) / 1e6;
            best[i] = round <= 1 ? ms : Math.min(best[i], ms);
          }
        }
        if (round == 0 && best[0] > 10 * best[1]) {
          break;
        }
      }
    }
    return best;
  }

  /** Normally distributed values times a scale. */
  static float[] normal(Random random, int size, float scale) {
    float[] out = new float[size];
    for (int i = 0; i < size; i++) {
      out[i] = (float) random.nextGaussian() * scale;
    }
    return out;
  }

  /** The relative error of float values against a float reference, in the Frobenius norm. */
  static double relativeError(float[] actual, float[] expected) {
    double[] wide = new double[expected.length];
    for (int i = 0; i < wide.length; i++) {
      wide[i] = expected[i];
    }
    return relativeError(actual, wide);
  }

  private static double relativeError(float[] actual, double[] expected) {
    if (actual.length != expected.length) {
      return Double.POSITIVE_INFINITY;
    }
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < actual.length; i++) {
      double d = actual[i] - expected[i];
      diff += d * d;
      norm += expected[i] * expected[i];
    }
    return Math.sqrt(diff / norm);
  }
}
