package dev.cifar.network;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/** Builds a network into a model and runs random CIFAR-sized images through it, for the tests. */
final class BuiltNetworks {

  private BuiltNetworks() {}

  /**
   * Builds and initialises the network's block as the model's block.
   *
   * @param model the model, closed by the caller
   * @param network the network
   * @param classes its output classes
   * @return the block
   */
  static Block build(Model model, Network network, int classes) {
    Block block = network.build(classes);
    model.setBlock(block);
    block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, 32, 32));
    return block;
  }

  /**
   * Runs random normal images through a built block, in inference mode.
   *
   * @param model the block's model
   * @param block the block from {@link #build}
   * @param images how many images
   * @return the logits
   */
  static NDArray logits(Model model, Block block, int images) {
    return block
        .forward(
            new ParameterStore(model.getNDManager(), false),
            new NDList(model.getNDManager().randomNormal(new Shape(images, 3, 32, 32))),
            false)
        .singletonOrThrow();
  }
}
