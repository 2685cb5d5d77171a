package dev.cifar.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * An exponential moving average of every parameter of a block (batch-norm statistics
 * included), {@code avg = d avg + (1 - d) w} after every step, that can stand in for the
 * weights while they are evaluated or shipped.
 */
final class WeightAverage implements AutoCloseable {

    private final float decay;
    private final List<NDArray> weights = new ArrayList<>();
    private final NDList average = new NDList();
    private NDList saved;

    /**
     * Starts the average at the block's current weights.
     *
     * @param block the initialised network
     * @param decay in (0, 1)
     * @param manager owns the average
     */
    WeightAverage(Block block, float decay, NDManager manager) {
        this.decay = decay;
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray w = p.getValue().getArray();
            weights.add(w);
            NDArray copy = w.duplicate();
            copy.attach(manager);
            average.add(copy);
        }
    }

    /** Folds the current weights into the average. */
    void update() {
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i);
            try (NDArray part = w.mul(1 - decay)) {
                average.get(i).muli(decay).addi(part);
            }
        }
    }

    /** Puts the average in place of the weights, until {@link #restore}. */
    void swapIn() {
        saved = new NDList();
        for (int i = 0; i < weights.size(); i++) {
            NDArray w = weights.get(i);
            saved.add(w.duplicate());
            average.get(i).copyTo(w);
        }
    }

    /** Puts the weights back after {@link #swapIn}. */
    void restore() {
        for (int i = 0; i < weights.size(); i++) {
            saved.get(i).copyTo(weights.get(i));
        }
        saved.close();
        saved = null;
    }

    /** Leaves the average in place of the weights for good, after {@link #swapIn}. */
    void keep() {
        saved.close();
        saved = null;
    }

    /** @return the average, in the block's parameter order (for checkpoints) */
    NDList arrays() {
        return average;
    }

    /**
     * Replaces the average with a checkpoint's.
     *
     * @param arrays what {@link #arrays} returned when the checkpoint was written
     */
    void load(NDList arrays) {
        if (arrays.size() != average.size()) {
            throw new IllegalArgumentException("the checkpoint's weight average has " + arrays.size()
                    + " arrays, the network " + average.size());
        }
        for (int i = 0; i < arrays.size(); i++) {
            arrays.get(i).copyTo(average.get(i));
        }
    }

    @Override
    public void close() {
        average.close();
        if (saved != null) {
            saved.close();
        }
    }
}
