package dev.cifar.network;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A trained network that answers with the logits averaged over the views of a {@link
 * TestTimeAugmentation}, from one forward pass over all views of the batch. Wraps a trained block
 * for inference; the wrapped block's parameters are its own.
 */
public final class TestTimeAveraging extends AbstractBlock {

  private final Block net;
  private final TestTimeAugmentation level;

  /**
   * Wraps a trained network.
   *
   * @param net the network, with its parameters loaded
   * @param level the views to average
   */
  public TestTimeAveraging(Block net, TestTimeAugmentation level) {
    this.net = addChildBlock("net", net);
    this.level = level;
  }

  /**
   * Returns the wrapped network.
   *
   * @return the network whose views are averaged
   */
  public Block network() {
    return net;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    NDList views = new NDList(level.expand(inputs.singletonOrThrow()));
    return new NDList(
        level.combine(net.forward(parameterStore, views, training, params).singletonOrThrow()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return net.getOutputShapes(inputShapes);
  }

  @Override
  protected void initializeChildBlocks(
      ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
    net.initialize(manager, dataType, inputShapes);
  }
}
