package dev.cifar.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * Initialises a {@code (out, in, k, k)} convolution as PyTorch would, then turns its first {@code
 * min(out, in)} filters into identity maps ({@code torch.nn.init.dirac_}): filter {@code i} passes
 * input channel {@code i} through unchanged, so a fresh network starts close to a pass-through of
 * its input.
 */
final class DiracInitializer implements Initializer {

  private final TorchDefaultInitializer base;

  DiracInitializer(long fanIn) {
    this.base = new TorchDefaultInitializer(fanIn);
  }

  @Override
  public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
    NDArray weight = base.initialize(manager, shape, dataType);
    long identities = Math.min(shape.get(0), shape.get(1));
    long kh = shape.get(2);
    long kw = shape.get(3);
    float[] dirac = new float[(int) (identities * shape.get(1) * kh * kw)];
    for (int i = 0; i < identities; i++) {
      dirac[(int) (((i * shape.get(1) + i) * kh + kh / 2) * kw + kw / 2)] = 1f;
    }
    weight.set(
        new NDIndex("0:{}", identities),
        manager.create(dirac, new Shape(identities, shape.get(1), kh, kw)).toType(dataType, false));
    return weight;
  }
}
