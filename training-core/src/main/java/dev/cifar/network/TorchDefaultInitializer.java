package dev.cifar.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * PyTorch's default initialisation of {@code nn.Conv2d} and {@code nn.Linear}: weights and biases
 * uniform in {@code [-1/sqrt(fanIn), 1/sqrt(fanIn)]} (kaiming-uniform with {@code a = sqrt(5)}), so
 * that a network defined after a PyTorch model starts where PyTorch would.
 */
final class TorchDefaultInitializer implements Initializer {

  private final float bound;

  TorchDefaultInitializer(long fanIn) {
    this.bound = (float) (1.0 / Math.sqrt(fanIn));
  }

  @Override
  public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
    return manager.randomUniform(-bound, bound, shape, dataType);
  }
}
