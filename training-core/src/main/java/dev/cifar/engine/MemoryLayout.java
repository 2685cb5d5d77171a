package dev.cifar.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Memory layouts of 4-d tensors on libtorch's CPU. */
public final class MemoryLayout {

  private MemoryLayout() {}

  /**
   * Returns the same values stored channels-last: one copy into NHWC order, viewed again with the
   * NCHW shape. libtorch keeps that layout through convolution, batch norm, pooling and their
   * gradients, which saves its CPU convolutions a reorder of every activation.
   *
   * @param tensor {@code (n, c, h, w)}
   * @return equal values and shape, channels-last strides
   */
  public static NDArray channelsLast(NDArray tensor) {
    Shape shape = tensor.getShape();
    long n = shape.get(0);
    // the flattening reshape cannot be a view of the permuted tensor, so it copies in NHWC order
    return tensor
        .transpose(0, 2, 3, 1)
        .reshape(n, -1)
        .reshape(n, shape.get(2), shape.get(3), shape.get(1))
        .transpose(0, 3, 1, 2);
  }
}
