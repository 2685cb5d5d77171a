package dev.cifar.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.optimizer.Optimizer;
import java.util.HashMap;
import java.util.Map;

/**
 * Adam (beta1 0.9, beta2 0.999, epsilon 1e-8, as PyTorch's defaults) on DJL's fused update,
 * with its state (first and second moments and step counts) open to checkpoints, so that a
 * resumed run continues exactly where it stopped.
 */
final class StatefulAdam extends Optimizer {

    static final float BETA1 = 0.9f;
    static final float BETA2 = 0.999f;
    static final float EPSILON = 1e-8f;

    private final float learningRate;
    private final Map<String, NDArray> means = new HashMap<>();
    private final Map<String, NDArray> variances = new HashMap<>();
    private final Map<String, Integer> steps = new HashMap<>();

    StatefulAdam(float learningRate) {
        super(new Builder());
        this.learningRate = learningRate;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = steps.merge(parameterId, 1, Integer::sum);
        double correction1 = 1 - Math.pow(BETA1, t);
        double correction2 = 1 - Math.pow(BETA2, t);
        float corrected = (float) (learningRate * Math.sqrt(correction2) / correction1);
        NDArray mean = means.computeIfAbsent(parameterId, k -> zeros(weight));
        NDArray variance = variances.computeIfAbsent(parameterId, k -> zeros(weight));
        weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, mean, variance),
                new NDList(weight), learningRate, corrected, 0f, 1f, -1f, BETA1, BETA2, EPSILON,
                true, false);
    }

    private static NDArray zeros(NDArray like) {
        NDArray z = like.zerosLike();
        z.attach(like.getManager());
        return z;
    }

    /**
     * Returns the state of one parameter.
     *
     * @param parameterId the parameter
     * @return steps, mean, variance; {@code null} before its first update
     */
    State state(String parameterId) {
        Integer t = steps.get(parameterId);
        return t == null ? null : new State(t, means.get(parameterId), variances.get(parameterId));
    }

    /**
     * Restores the state of one parameter; the arrays must live on the weight's device.
     *
     * @param parameterId the parameter
     * @param state what {@link #state} returned before
     */
    void restore(String parameterId, State state) {
        steps.put(parameterId, state.steps());
        means.put(parameterId, state.mean());
        variances.put(parameterId, state.variance());
    }

    /** The optimizer state of one parameter. */
    record State(int steps, NDArray mean, NDArray variance) {
    }

    private static final class Builder extends OptimizerBuilder<Builder> {
        @Override
        protected Builder self() {
            return this;
        }
    }
}
