package dev.cifar.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Memory layouts of 4-d activations on libtorch's CPU. libtorch keeps a batch's layout through
 * convolution, batch norm, pooling and their gradients, and oneDNN picks its convolution kernels by
 * it, so the layout decides which kernels a network runs on ({@link ConvolutionLayouts}).
 */
public enum MemoryLayout {
  /** Contiguous {@code (n, c, h, w)}: what DJL creates. */
  NCHW("NCHW"),
  /** The NCHW shape over values stored in {@code (n, h, w, c)} order. */
  CHANNELS_LAST("channels-last");

  private final String label;

  MemoryLayout(String label) {
    this.label = label;
  }

  /**
   * Returns the same values in this layout: NCHW leaves a contiguous tensor as it is; channels-last
   * makes one copy into NHWC order, viewed again with the NCHW shape.
   *
   * @param tensor {@code (n, c, h, w)}, contiguous
   * @return equal values and shape, this layout's strides
   */
  public NDArray apply(NDArray tensor) {
    if (this == NCHW) {
      return tensor;
    }
    Shape shape = tensor.getShape();
    long n = shape.get(0);
    // the flattening reshape cannot be a view of the permuted tensor, so it copies in NHWC order
    return tensor
        .transpose(0, 2, 3, 1)
        .reshape(n, -1)
        .reshape(n, shape.get(2), shape.get(3), shape.get(1))
        .transpose(0, 3, 1, 2);
  }

  /**
   * @return the other layout
   */
  public MemoryLayout other() {
    return this == NCHW ? CHANNELS_LAST : NCHW;
  }

  @Override
  public String toString() {
    return label;
  }
}
