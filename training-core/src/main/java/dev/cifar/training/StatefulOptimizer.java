package dev.cifar.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An optimizer whose state (per parameter: the step count and its state arrays) is open to
 * checkpoints, and whose learning rate follows a {@link LearningRateSchedule}, so that a resumed
 * run continues exactly where it stopped. A step updates every parameter that learns with
 * libtorch's fused kernels ({@link FusedUpdates}), one call per group of parameters that share a
 * step count and a rate scale, and zeroes their gradients. Close it when the run ends.
 */
abstract class StatefulOptimizer implements AutoCloseable {

  private final LearningRateSchedule schedule;
  private final Map<String, NDArray[]> states = new HashMap<>();
  private final Map<String, Integer> steps = new HashMap<>();
  private final Map<String, Float> rateScales = new HashMap<>();
  private final float weightDecay;
  private final FusedUpdates fused;

  StatefulOptimizer(LearningRateSchedule schedule, float weightDecay, Device device) {
    this.schedule = schedule;
    this.weightDecay = weightDecay;
    this.fused = FusedUpdates.load(device);
  }

  /**
   * @return how many state arrays each parameter has
   */
  abstract int slots();

  /**
   * Updates one group of parameters in place.
   *
   * @param fused the kernels
   * @param weights the weights, each with its gradient
   * @param states per state slot, the weights' arrays of that slot, in the weights' order
   * @param step the group's step, from 1
   * @param learningRate the scheduled rate of this step
   * @param weightDecay the group's weight decay
   */
  abstract void apply(
      FusedUpdates fused,
      List<NDArray> weights,
      List<List<NDArray>> states,
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

  /**
   * Takes one step for every parameter of the block that learns (frozen ones keep their weights,
   * state and step count).
   *
   * @param block the network, after a backward pass
   */
  void step(Block block) {
    List<Pair<String, NDArray>> learning = new ArrayList<>();
    for (Pair<String, Parameter> p : block.getParameters()) {
      Parameter parameter = p.getValue();
      if (parameter.requiresGradient()) {
        learning.add(new Pair<>(parameter.getId(), parameter.getArray()));
      }
    }
    step(learning);
  }

  /**
   * Takes one step for the given weights.
   *
   * @param weights parameter id and weight, each weight with its gradient
   */
  void step(List<Pair<String, NDArray>> weights) {
    Map<Group, List<String>> groups = new LinkedHashMap<>();
    Map<String, NDArray> byId = new HashMap<>();
    for (Pair<String, NDArray> p : weights) {
      String id = p.getKey();
      NDArray weight = p.getValue();
      byId.put(id, weight);
      states.computeIfAbsent(
          id,
          k -> {
            NDArray[] s = new NDArray[slots()];
            for (int i = 0; i < s.length; i++) {
              s[i] = weight.zerosLike();
              s[i].attach(weight.getManager());
            }
            return s;
          });
      int t = steps.merge(id, 1, Integer::sum);
      groups
          .computeIfAbsent(new Group(t, rateScales.getOrDefault(id, 1f)), g -> new ArrayList<>())
          .add(id);
    }
    for (Map.Entry<Group, List<String>> g : groups.entrySet()) {
      List<NDArray> groupWeights = new ArrayList<>();
      List<List<NDArray>> groupStates = new ArrayList<>();
      for (int i = 0; i < slots(); i++) {
        groupStates.add(new ArrayList<>());
      }
      for (String id : g.getValue()) {
        groupWeights.add(byId.get(id));
        NDArray[] s = states.get(id);
        for (int i = 0; i < s.length; i++) {
          groupStates.get(i).add(s[i]);
        }
      }
      float scale = g.getKey().rateScale();
      int t = g.getKey().step();
      apply(fused, groupWeights, groupStates, t, schedule.at(t) * scale, weightDecay / scale);
    }
  }

  /** Parameters updated in one call: the same step count and rate scale. */
  private record Group(int step, float rateScale) {}

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

  @Override
  public void close() {
    fused.close();
  }

  /** The optimizer state of one parameter. */
  record State(int steps, List<NDArray> arrays) {}

  /** Adam (beta1 0.9, beta2 0.999, epsilon 1e-8, PyTorch's defaults and formula). */
  static final class Adam extends StatefulOptimizer {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;

    Adam(LearningRateSchedule schedule, float weightDecay, Device device) {
      super(schedule, weightDecay, device);
    }

    @Override
    int slots() {
      return 2;
    }

    @Override
    void apply(
        FusedUpdates fused,
        List<NDArray> weights,
        List<List<NDArray>> states,
        int step,
        float learningRate,
        float weightDecay) {
      fused.adam(
          weights,
          states.get(0),
          states.get(1),
          step,
          learningRate,
          BETA1,
          BETA2,
          EPSILON,
          weightDecay);
    }
  }

  /**
   * SGD with Nesterov momentum and weight decay, as PyTorch's {@code SGD(nesterov=True)}: {@code g
   * = grad + wd w; b = m b + g; w -= lr (g + m b)}.
   */
  static final class NesterovSgd extends StatefulOptimizer {

    private final float momentum;

    NesterovSgd(LearningRateSchedule schedule, float momentum, float weightDecay, Device device) {
      super(schedule, weightDecay, device);
      this.momentum = momentum;
    }

    @Override
    int slots() {
      return 1;
    }

    @Override
    void apply(
        FusedUpdates fused,
        List<NDArray> weights,
        List<List<NDArray>> states,
        int step,
        float learningRate,
        float weightDecay) {
      fused.nesterovSgd(weights, states.get(0), learningRate, momentum, weightDecay);
    }
  }
}
