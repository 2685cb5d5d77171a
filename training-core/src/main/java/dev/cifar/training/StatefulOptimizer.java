package dev.cifar.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimizer whose state (per parameter: the step count and its state arrays) is open to
 * checkpoints, and whose learning rate follows a {@link LearningRateSchedule}, so that a resumed
 * run continues exactly where it stopped.
 */
abstract class StatefulOptimizer extends Optimizer {

  private final LearningRateSchedule schedule;
  private final Map<String, NDArray[]> states = new HashMap<>();
  private final Map<String, Integer> steps = new HashMap<>();
  private final Map<String, Float> rateScales = new HashMap<>();

  private final float weightDecay;

  StatefulOptimizer(LearningRateSchedule schedule, float weightDecay) {
    super(new Builder());
    this.schedule = schedule;
    this.weightDecay = weightDecay;
  }

  /**
   * @return how many state arrays each parameter has
   */
  abstract int slots();

  /**
   * Updates one parameter in place.
   *
   * @param weight the parameter
   * @param grad its gradient
   * @param state its state arrays, updated in place
   * @param step the parameter's step, from 1
   * @param learningRate the scheduled rate of this step
   */
  abstract void apply(
      NDArray weight,
      NDArray grad,
      NDArray[] state,
      int step,
      float learningRate,
      float weightDecay);

  /**
   * Lets one parameter learn faster than the schedule (its weight decay divided by as much, so that
   * their product, the per-step decay, stays).
   *
   * @param parameterId the parameter
   * @param scale the multiplier, 1 for none
   */
  void scaleRate(String parameterId, float scale) {
    if (scale != 1f) {
      rateScales.put(parameterId, scale);
    }
  }

  @Override
  public final void update(String parameterId, NDArray weight, NDArray grad) {
    int t = steps.merge(parameterId, 1, Integer::sum);
    NDArray[] state =
        states.computeIfAbsent(
            parameterId,
            k -> {
              NDArray[] s = new NDArray[slots()];
              for (int i = 0; i < s.length; i++) {
                s[i] = weight.zerosLike();
                s[i].attach(weight.getManager());
              }
              return s;
            });
    float scale = rateScales.getOrDefault(parameterId, 1f);
    apply(weight, grad, state, t, schedule.at(t) * scale, weightDecay / scale);
  }

  /**
   * Returns the state of one parameter.
   *
   * @param parameterId the parameter
   * @return its steps and arrays; {@code null} before its first update
   */
  State state(String parameterId) {
    Integer t = steps.get(parameterId);
    return t == null ? null : new State(t, List.of(states.get(parameterId)));
  }

  /**
   * Restores the state of one parameter; the arrays must live on the weight's device.
   *
   * @param parameterId the parameter
   * @param state what {@link #state} returned before
   */
  void restore(String parameterId, State state) {
    steps.put(parameterId, state.steps());
    states.put(parameterId, state.arrays().toArray(new NDArray[0]));
  }

  /** The optimizer state of one parameter. */
  record State(int steps, List<NDArray> arrays) {}

  private static final class Builder extends OptimizerBuilder<Builder> {
    @Override
    protected Builder self() {
      return this;
    }
  }

  /** Adam (beta1 0.9, beta2 0.999, epsilon 1e-8, PyTorch's defaults) on DJL's fused update. */
  static final class Adam extends StatefulOptimizer {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;

    Adam(LearningRateSchedule schedule, float weightDecay) {
      super(schedule, weightDecay);
    }

    @Override
    int slots() {
      return 2;
    }

    @Override
    void apply(
        NDArray weight,
        NDArray grad,
        NDArray[] state,
        int step,
        float learningRate,
        float weightDecay) {
      double correction1 = 1 - Math.pow(BETA1, step);
      double correction2 = 1 - Math.pow(BETA2, step);
      float corrected = (float) (learningRate * Math.sqrt(correction2) / correction1);
      weight
          .getNDArrayInternal()
          .adamUpdate(
              new NDList(weight, grad, state[0], state[1]),
              new NDList(weight),
              learningRate,
              corrected,
              weightDecay,
              1f,
              -1f,
              BETA1,
              BETA2,
              EPSILON,
              true,
              false);
    }
  }

  /**
   * SGD with Nesterov momentum and weight decay, as PyTorch's {@code SGD(nesterov=True)}: {@code g
   * = grad + wd w; b = m b + g; w -= lr (g + m b)}.
   */
  static final class NesterovSgd extends StatefulOptimizer {

    private final float momentum;

    NesterovSgd(LearningRateSchedule schedule, float momentum, float weightDecay) {
      super(schedule, weightDecay);
      this.momentum = momentum;
    }

    @Override
    int slots() {
      return 1;
    }

    @Override
    void apply(
        NDArray weight,
        NDArray grad,
        NDArray[] state,
        int step,
        float learningRate,
        float weightDecay) {
      NDArray buffer = state[0];
      NDArray g = weightDecay == 0 ? null : weight.mul(weightDecay).addi(grad);
      NDArray effective = g == null ? grad : g;
      buffer.muli(momentum).addi(effective);
      try (NDArray update = buffer.mul(momentum).addi(effective)) {
        weight.subi(update.muli(learningRate));
      } finally {
        if (g != null) {
          g.close();
        }
      }
      // gradients accumulate in libtorch until zeroed; DJL's fused updates zero them, so do the
      // same
      try (NDArray accumulated = weight.getGradient()) {
        accumulated.muli(0);
      }
    }
  }
}
