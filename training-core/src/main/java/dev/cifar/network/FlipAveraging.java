package dev.cifar.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Flip test-time augmentation: the logits of each image averaged with those of its mirror
 * image, from one forward pass over the batch and its mirror. Wraps a trained block for
 * inference; the wrapped block's parameters are its own.
 */
public final class FlipAveraging extends AbstractBlock {

    private final Block net;

    /**
     * Wraps a trained network.
     *
     * @param net the network, with its parameters loaded
     */
    public FlipAveraging(Block net) {
        this.net = addChildBlock("net", net);
    }

    /**
     * Stacks a batch and its mirror images into one batch of twice the size.
     *
     * @param batch {@code (n, c, h, w)}
     * @return {@code (2n, c, h, w)}
     */
    public static NDArray withMirrors(NDArray batch) {
        return NDArrays.concat(new NDList(batch, batch.flip(3)), 0);
    }

    /**
     * Averages the logits of the two halves that {@link #withMirrors} stacked.
     *
     * @param logits {@code (2n, classes)}
     * @return {@code (n, classes)}
     */
    public static NDArray average(NDArray logits) {
        long n = logits.getShape().get(0) / 2;
        return logits.get(new NDIndex("0:{}", n)).add(logits.get(new NDIndex("{}:", n))).divi(2);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray logits = net.forward(parameterStore, new NDList(withMirrors(inputs.singletonOrThrow())), training,
                params).singletonOrThrow();
        return new NDList(average(logits));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return net.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        net.initialize(manager, dataType, inputShapes);
    }
}
