package dev.cifar.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import dev.cifar.CifarException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Chooses the memory layout a network's CPU convolutions run in, from what this process has
 * measured. oneDNN's kernels differ between CPUs, and some of libtorch 2.7.1's are wrong on some:
 * on an AVX-512 AMD EPYC, NCHW convolutions whose channels leave a tail of 16-channel blocks (24,
 * 40) are about 20% off, and channels-last 1x1 stride-2 ones from 256 to 512 channels at 4x4 are
 * 13% off. So before a network runs, each of its convolution geometries ({@link ConvolutionShape})
 * is run once in the layout it prefers, output and (for training) both gradients, and compared with
 * the same convolution computed through matrix products ({@link GemmConvolution}); verdicts are
 * kept for the process. The network runs in its preferred layout where that is correct, in the
 * other one (saying so in one line) where only that one is, and not at all where neither is. A
 * TorchScript module's convolutions are not visible: it runs in its preferred layout, with a
 * warning where common geometries are wrong in it. GPU convolutions are not checked.
 */
public final class ConvolutionLayouts {

  /** Batch size of the checked convolutions. */
  private static final int BATCH = 4;

  private static final String[] PARTS = {"output", "input gradient", "weight gradient"};

  private static final Map<Key, PrecisionCheck.Accuracy> VERDICTS = new HashMap<>();

  private record Key(List<ConvolutionShape> shapes, MemoryLayout layout, boolean gradients) {}

  /** A convolution of a given geometry, recording gradients. */
  @FunctionalInterface
  interface Kernel {
    /**
     * Convolves.
     *
     * @param input NCHW batch (any memory layout)
     * @param weight OIHW weight
     * @param shape the geometry
     * @return the output
     */
    NDArray convolve(NDArray input, NDArray weight, ConvolutionShape shape);
  }

  /** libtorch's float32 convolution: the kernels oneDNN picks for the input's layout. */
  static final Kernel LIBTORCH =
      (input, weight, shape) ->
          Conv2d.conv2d(input, weight, null, shape.stride(), shape.padding(), shape.dilation())
              .singletonOrThrow();

  private ConvolutionLayouts() {}

  /**
   * Chooses the layout of a network's convolutions on a device.
   *
   * @param preferred the layout the network runs fastest in
   * @param block the network, initialised or with its parameters loaded
   * @param device where it runs
   * @param gradients whether it trains (the gradients are checked too) or only predicts
   * @param warning receives one line when the preferred layout is wrong here
   * @return the layout to run in
   * @throws CifarException when the network's convolutions are wrong here in every layout
   */
  public static MemoryLayout choose(
      MemoryLayout preferred,
      Block block,
      Device device,
      boolean gradients,
      Consumer<String> warning) {
    if (device.isGpu()) {
      return preferred;
    }
    List<ConvolutionShape> found = ConvolutionShape.of(block);
    String cpu = CpuInfo.current().describe();
    if (!found.isEmpty()) {
      return choose(preferred, layout -> verdict(found, layout, gradients), cpu, warning);
    }
    // a TorchScript module: its convolutions are not visible, so some common geometries stand in
    PrecisionCheck.Accuracy generic = verdict(ConvolutionShape.GENERIC, preferred, gradients);
    if (!generic.correct()) {
      warning.accept(
          "this model's convolutions cannot be checked one by one (a TorchScript module), and"
              + " libtorch's float32 convolutions in "
              + preferred
              + " are "
              + generic.summary()
              + " on "
              + cpu
              + "; if its answers look wrong, run with "
              + CpuInfo.ISA_CAP
              + "=AVX2 in the environment");
    }
    return preferred;
  }

  /**
   * The verdict on libtorch's float32 convolutions of some geometries in a layout, measured once
   * per process.
   *
   * @param shapes the geometries
   * @param layout the layout of their inputs
   * @param gradients whether the two gradients are checked too
   * @return whether every output (and gradient) agreed with the matrix products'
   */
  public static synchronized PrecisionCheck.Accuracy verdict(
      List<ConvolutionShape> shapes, MemoryLayout layout, boolean gradients) {
    return VERDICTS.computeIfAbsent(
        new Key(List.copyOf(shapes), layout, gradients),
        k -> measure(k.shapes, layout, gradients, LIBTORCH));
  }

  /**
   * The choice, from verdicts.
   *
   * @param preferred the layout the network runs fastest in
   * @param verdicts the float32 convolutions' accuracy in a layout, asked for lazily
   * @param cpu the CPU, for the messages
   * @param warning receives one line when the preferred layout is wrong
   * @return the preferred layout where correct, else the other where correct
   * @throws CifarException when no layout is correct
   */
  static MemoryLayout choose(
      MemoryLayout preferred,
      Function<MemoryLayout, PrecisionCheck.Accuracy> verdicts,
      String cpu,
      Consumer<String> warning) {
    PrecisionCheck.Accuracy mine = verdicts.apply(preferred);
    if (mine.correct()) {
      return preferred;
    }
    MemoryLayout other = preferred.other();
    PrecisionCheck.Accuracy theirs = verdicts.apply(other);
    if (!theirs.correct()) {
      throw new CifarException(
          "float32 convolutions of libtorch are wrong on "
              + cpu
              + " in every memory layout ("
              + preferred
              + ": "
              + mine.summary()
              + "; "
              + other
              + ": "
              + theirs.summary()
              + "); cap oneDNN's kernels with "
              + CpuInfo.ISA_CAP
              + "=AVX2 in the environment and run again");
    }
    warning.accept(
        "float32 convolutions in "
            + preferred
            + " are "
            + mine.summary()
            + " on "
            + cpu
            + "; this model's convolutions run "
            + other
            + ", measured correct: "
            + theirs.summary());
    return other;
  }

  /**
   * Measures a kernel against the matrix products.
   *
   * @param shapes the geometries
   * @param layout the layout of the kernel's inputs
   * @param gradients whether the two gradients are checked too
   * @param kernel the convolution under test
   * @return the verdict; a kernel that throws is not correct
   */
  static PrecisionCheck.Accuracy measure(
      List<ConvolutionShape> shapes, MemoryLayout layout, boolean gradients, Kernel kernel) {
    Engine engine = Engines.pytorch();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), engine.getEngineName())) {
      PrecisionCheck.Tally tally = new PrecisionCheck.Tally();
      for (ConvolutionShape shape : shapes) {
        try (NDManager sub = manager.newSubManager()) {
          Random random = new Random(20_261_202L);
          Shape in = new Shape(BATCH, shape.channels(), shape.height(), shape.width());
          Shape weightShape =
              new Shape(
                  shape.filters(), shape.channels(), shape.kernel().get(0), shape.kernel().get(1));
          Shape out = new Shape(BATCH, shape.filters(), shape.outputHeight(), shape.outputWidth());
          float scale = (float) (1 / Math.sqrt(shape.channels() * shape.kernel().size()));
          NDArray x = sub.create(PrecisionCheck.normal(random, (int) in.size(), 1), in);
          NDArray w =
              sub.create(
                  PrecisionCheck.normal(random, (int) weightShape.size(), scale), weightShape);
          NDArray up = sub.create(PrecisionCheck.normal(random, (int) out.size(), 1), out);
          float[][] got =
              run(
                  engine,
                  layout.apply(x.duplicate()),
                  w.duplicate(),
                  up,
                  gradients,
                  (input, weight) -> kernel.convolve(input, weight, shape));
          float[][] expected =
              run(
                  engine,
                  x.duplicate(),
                  w.duplicate(),
                  up,
                  gradients,
                  (input, weight) -> GemmConvolution.convolve(input, weight, shape));
          for (int i = 0; i < got.length; i++) {
            if (i == 1 && !shape.inputGradient()) {
              continue;
            }
            PrecisionCheck.Accuracy wrong =
                tally.add(
                    PrecisionCheck.relativeError(got[i], expected[i]),
                    PARTS[i] + " of a " + shape + " convolution " + layout);
            if (wrong != null) {
              return wrong;
            }
          }
        }
      }
      return tally.result(" on " + shapes.size() + " convolution geometries");
    } catch (RuntimeException e) {
      return new PrecisionCheck.Accuracy(false, "fails on this CPU: " + e.getMessage());
    }
  }

  /** The output and, when asked, the gradients of {@code sum(conv(x, w) * up)}, NCHW order. */
  private static float[][] run(
      Engine engine,
      NDArray x,
      NDArray w,
      NDArray up,
      boolean gradients,
      PrecisionCheck.Candidate conv) {
    return gradients
        ? PrecisionCheck.gradients(engine, conv, x, w, up)
        : new float[][] {conv.convolve(x, w).reshape(-1).toFloatArray()};
  }
}
