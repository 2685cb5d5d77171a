package dev.cifar.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.cifar.engine.Bfloat16Convolution;

/**
 * A {@link Conv2d} without bias, stride 1 and "same" padding whose arithmetic a training run can
 * switch to bfloat16 ({@link #use}); otherwise, as after loading an artifact, it is a plain float32
 * convolution. Its parameters and their file format are those of {@link Conv2d}.
 */
public final class PrecisionConv2d extends Conv2d {

  private volatile Bfloat16Convolution bfloat16;

  private PrecisionConv2d(Conv2d.Builder builder) {
    super(builder);
  }

  /**
   * A square convolution with "same" padding and no bias.
   *
   * @param kernel the kernel side, odd
   * @param filters the output channels
   * @return the block
   */
  static PrecisionConv2d of(int kernel, int filters) {
    if (kernel % 2 == 0) {
      throw new IllegalArgumentException(
          "PrecisionConv2d takes odd kernels (same padding), not " + kernel);
    }
    Conv2d.Builder builder =
        Conv2d.builder()
            .setKernelShape(new Shape(kernel, kernel))
            .optPadding(new Shape(kernel / 2, kernel / 2))
            .setFilters(filters)
            .optBias(false);
    return new PrecisionConv2d(builder);
  }

  /**
   * Makes every {@code PrecisionConv2d} in a network compute in bfloat16 on the CPU through {@code
   * bfloat16}, or in float32 again when it is null.
   *
   * @param network the root block
   * @param bfloat16 the open bfloat16 convolution, or null
   * @return how many convolutions switched
   */
  public static int use(Block network, Bfloat16Convolution bfloat16) {
    return BlockTree.forEach(network, PrecisionConv2d.class, block -> block.bfloat16 = bfloat16);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    Bfloat16Convolution function = bfloat16;
    NDArray input = inputs.singletonOrThrow();
    if (function == null || input.getDevice().isGpu()) {
      return super.forwardInternal(store, inputs, training, params);
    }
    NDArray w = store.getValue(weight, input.getDevice(), training);
    return new NDList(function.convolve(store, input, w, training));
  }
}
