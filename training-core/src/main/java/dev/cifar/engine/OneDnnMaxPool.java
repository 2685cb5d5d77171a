package dev.cifar.engine;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.training.GradientCollector;
import java.util.Arrays;

/**
 * Max pooling with gradients on the CPU through oneDNN's pooling instead of ATen's. When its input
 * requires a gradient, libtorch's {@code max_pool2d} runs ATen's {@code max_pool2d_with_indices},
 * whose NCHW kernel is slow: for a batch of 128 through the seed network's 6x28x28 pool, forward
 * and backward take about 2.1 ms under torch 2.13 and 0.8-1.0 ms through oneDNN (2-core AMD EPYC,
 * Zen 5). Both compute the same maxima and send each gradient to the same element, the first
 * maximum of its window. libtorch reaches oneDNN's pooling only through its mkldnn tensors, which
 * DJL cannot create, so this runs a TorchScript function ({@code onednn-max-pool.pt}, written by
 * {@code src/main/python/make_onednn_max_pool.py}) that converts the batch, pools and converts
 * back; autograd differentiates through all three steps. A batch that is not contiguous NCHW (a
 * channels-last one) is pooled by ATen inside the same function, keeping its layout.
 *
 * <p>{@link #load()} checks the function against ATen's pooling on this CPU before anyone uses it:
 * outputs and input gradients must be equal, bit for bit. Open one per training run and close it
 * after.
 */
public final class OneDnnMaxPool implements AutoCloseable {

  /** The TorchScript file, a resource next to this class. */
  static final String RESOURCE = "onednn-max-pool.pt";

  private final Model model;
  private final PtSymbolBlock function;

  private OneDnnMaxPool(Model model) {
    this.model = model;
    this.function = (PtSymbolBlock) model.getBlock();
  }

  /**
   * Loads the function onto the CPU and checks it against ATen's pooling.
   *
   * @return the pooling; close it when the run ends
   * @throws IllegalStateException when the resource does not load, or its results differ from
   *     ATen's on this CPU (the message says which)
   */
  public static OneDnnMaxPool load() {
    OneDnnMaxPool pool =
        new OneDnnMaxPool(
            Engines.torchScriptResource(
                OneDnnMaxPool.class, RESOURCE, "oneDNN max pooling", Device.cpu()));
    try {
      pool.check();
      return pool;
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * Pools with a square window as wide as its stride and no padding, differentiably.
   *
   * @param input float32 batch {@code (n, c, h, w)} on the CPU, any memory layout
   * @param kernel the window's side and the stride
   * @return the maxima, {@code (n, c, h / kernel, w / kernel)}, attached to the input's manager
   */
  public NDArray pool(NDArray input, int kernel) {
    NDArray side = input.getManager().create((long) kernel);
    try {
      return IValueUtils.forward(function, new NDList(input, side), true).singletonOrThrow();
    } finally {
      side.close();
    }
  }

  /**
   * Pools a batch with ties, maxima at every position of the window and odd sides both ways,
   * through this function and through ATen, and compares outputs and input gradients.
   */
  private void check() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      // small integers make ties: equal maxima within a window, where the first one takes the
      // gradient; no random numbers, so the run's random sequence stays as it was
      float[] pattern = new float[3 * 5 * 9 * 13];
      for (int i = 0; i < pattern.length; i++) {
        pattern[i] = (i * 7 + i / 13) % 9 - 4;
      }
      NDArray values = manager.create(pattern, new Shape(3, 5, 9, 13));
      if (!Arrays.deepEquals(poolAndGradient(this, values, 2), poolAndGradient(null, values, 2))) {
        throw new IllegalStateException(
            "oneDNN max pooling differs from ATen's on this CPU (outputs or input gradients)");
      }
    }
  }

  /**
   * Maxima and input gradient of {@code sum(pool(x) * (1, 2, 3, ...))}: distinct weights per
   * output, so a gradient sent to the wrong element shows.
   *
   * @param pool oneDNN's pooling, or null for ATen's
   * @param batch the input, not changed
   * @param kernel the window's side and the stride
   * @return the maxima and the input gradient, flattened
   */
  static float[][] poolAndGradient(OneDnnMaxPool pool, NDArray batch, int kernel) {
    NDArray x = batch.duplicate();
    x.setRequiresGradient(true);
    NDArray y;
    try (GradientCollector collector = x.getManager().getEngine().newGradientCollector()) {
      y =
          pool != null
              ? pool.pool(x, kernel)
              : Pool.maxPool2d(
                  x, new Shape(kernel, kernel), new Shape(kernel, kernel), new Shape(0, 0), false);
      NDArray weights = x.getManager().arange((float) y.size()).reshape(y.getShape()).add(1);
      collector.backward(y.mul(weights).sum());
    }
    return new float[][] {y.toFloatArray(), x.getGradient().toFloatArray()};
  }

  @Override
  public void close() {
    model.close();
  }
}
