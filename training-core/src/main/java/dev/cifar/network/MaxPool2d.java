package dev.cifar.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.cifar.engine.OneDnnMaxPool;

/**
 * Max pooling with a square window as wide as its stride and no padding: DJL's {@link
 * Pool#maxPool2dBlock(Shape)}, whose file format it keeps (it has no parameters), except that a
 * training run can hand it oneDNN's pooling ({@link #use}) for its training passes on the CPU,
 * where libtorch would otherwise run ATen's slow pooling with indices. The values and gradients are
 * the same either way; without it, as after loading an artifact, it is DJL's pooling.
 */
public final class MaxPool2d extends LambdaBlock {

  private final int kernel;
  private volatile OneDnnMaxPool onednn;

  private MaxPool2d(int kernel) {
    super(
        inputs ->
            new NDList(
                Pool.maxPool2d(
                    inputs.singletonOrThrow(),
                    new Shape(kernel, kernel),
                    new Shape(kernel, kernel),
                    new Shape(0, 0),
                    false)),
        "maxPool2d");
    this.kernel = kernel;
  }

  /**
   * A max pool with a square window as wide as its stride.
   *
   * @param kernel the window's side and the stride
   * @return the block
   */
  static MaxPool2d of(int kernel) {
    return new MaxPool2d(kernel);
  }

  /**
   * Makes every {@code MaxPool2d} in a network pool through {@code onednn} in training passes on
   * the CPU, or through DJL's pooling again when it is null.
   *
   * @param network the root block
   * @param onednn the open oneDNN pooling, or null
   * @return how many pools switched
   */
  public static int use(Block network, OneDnnMaxPool onednn) {
    return BlockTree.forEach(network, MaxPool2d.class, block -> block.onednn = onednn);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    OneDnnMaxPool function = onednn;
    NDArray input = inputs.singletonOrThrow();
    if (function == null || !training || input.getDevice().isGpu()) {
      return super.forwardInternal(store, inputs, training, params);
    }
    return new NDList(function.pool(input, kernel));
  }
}
