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
 * A moving average of every parameter of a block (batch-norm statistics included) that stands in
 * for the weights while they are evaluated or shipped. Either an exponential moving average, {@code
 * avg = d avg + (1 - d) w} after every step with a fixed decay, or airbench's lookahead: every
 * {@value #LOOKAHEAD_EVERY} steps {@code avg = d avg + (1 - d) w} with the decay {@code 0.95^5
 * (step / steps)^3}, rising from 0 to 0.77 over the run, and then the weights are set to the
 * average, so that training goes on from it.
 */
final class WeightAverage implements AutoCloseable {

  /** Steps between two lookahead updates. */
  static final int LOOKAHEAD_EVERY = 5;

  private static final double LOOKAHEAD_DECAY = Math.pow(0.95, LOOKAHEAD_EVERY);

  private final float decay;
  private final int lookaheadSteps;
  private final List<NDArray> weights = new ArrayList<>();
  private final NDList average = new NDList();
  private NDList saved;

  private WeightAverage(Block block, float decay, int lookaheadSteps, NDManager manager) {
    this.decay = decay;
    this.lookaheadSteps = lookaheadSteps;
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray w = p.getValue().getArray();
      weights.add(w);
      NDArray copy = w.duplicate();
      copy.attach(manager);
      average.add(copy);
    }
  }

  /**
   * Starts an exponential moving average at the block's current weights.
   *
   * @param block the initialised network
   * @param decay in (0, 1)
   * @param manager owns the average
   * @return the average
   */
  static WeightAverage exponential(Block block, float decay, NDManager manager) {
    return new WeightAverage(block, decay, 0, manager);
  }

  /**
   * Starts a lookahead average at the block's current weights.
   *
   * @param block the initialised network
   * @param steps the steps of the whole run
   * @param manager owns the average
   * @return the average
   */
  static WeightAverage lookahead(Block block, int steps, NDManager manager) {
    return new WeightAverage(block, 0f, steps, manager);
  }

  /**
   * Folds the current weights into the average after a step.
   *
   * @param step the step just taken, from 1, counted over the whole run
   */
  void update(int step) {
    if (lookaheadSteps == 0) {
      fold(decay);
    } else if (step % LOOKAHEAD_EVERY == 0) {
      fold((float) lookaheadDecay(step, lookaheadSteps));
      for (int i = 0; i < weights.size(); i++) {
        average.get(i).copyTo(weights.get(i));
      }
    }
  }

  /**
   * Returns the lookahead decay at a step.
   *
   * @param step the step, from 1
   * @param steps the steps of the run
   * @return {@code 0.95^5 (step / steps)^3}
   */
  static double lookaheadDecay(int step, int steps) {
    return LOOKAHEAD_DECAY * Math.pow((double) step / steps, 3);
  }

  private void fold(float d) {
    for (int i = 0; i < weights.size(); i++) {
      NDArray w = weights.get(i);
      try (NDArray part = w.mul(1 - d)) {
        average.get(i).muli(d).addi(part);
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

  /**
   * @return the average, in the block's parameter order (for checkpoints)
   */
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
      throw new IllegalArgumentException(
          "the checkpoint's weight average has "
              + arrays.size()
              + " arrays, the network "
              + average.size());
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
