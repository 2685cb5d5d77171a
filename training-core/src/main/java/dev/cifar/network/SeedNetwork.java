package dev.cifar.network;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import dev.cifar.onnx.OnnxGraph;
import java.util.List;

/**
 * The notebook's {@code Net}, layer for layer: conv 3&#8594;6 (5x5), ReLU, max-pool 2, conv
 * 6&#8594;16 (5x5), ReLU, flatten (1600), fc 120, ReLU, fc 84, ReLU, fc classes; with PyTorch's
 * default initialisation and the notebook's scaling to [-1, 1].
 */
final class SeedNetwork implements Network {

  @Override
  public String name() {
    return "seed";
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public Normalization normalization() {
    return Normalization.HALF;
  }

  @Override
  public Recipe recipe() {
    return Recipe.NOTEBOOK;
  }

  @Override
  public String description() {
    return "seed: the notebook's Net (conv 6@5x5, pool 2, conv 16@5x5, fc 1600-120-84-classes, ReLU)";
  }

  @Override
  public Block build(int classes) {
    return new SequentialBlock()
        .add(
            torchInit(
                Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(6).build(), 3 * 5 * 5))
        .add(Activation::relu)
        .add(MaxPool2d.of(2))
        .add(
            torchInit(
                Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(16).build(), 6 * 5 * 5))
        .add(Activation::relu)
        .add(Blocks.batchFlattenBlock())
        .add(torchInit(Linear.builder().setUnits(120).build(), 1600))
        .add(Activation::relu)
        .add(torchInit(Linear.builder().setUnits(84).build(), 120))
        .add(Activation::relu)
        .add(torchInit(Linear.builder().setUnits(classes).build(), 84));
  }

  @Override
  public String toOnnx(Block block, OnnxGraph g, String x) {
    List<Block> layers = block.getChildren().values();
    String y = g.maxPool(g.relu(g.conv(x, layers.get(0))), 2, 2);
    y = g.flatten(g.relu(g.conv(y, layers.get(3))));
    y = g.relu(g.linear(y, layers.get(6)));
    y = g.relu(g.linear(y, layers.get(8)));
    return g.linear(y, layers.get(10));
  }

  private static Block torchInit(Block layer, long fanIn) {
    TorchDefaultInitializer init = new TorchDefaultInitializer(fanIn);
    layer.setInitializer(init, Parameter.Type.WEIGHT);
    layer.setInitializer(init, Parameter.Type.BIAS);
    return layer;
  }
}
