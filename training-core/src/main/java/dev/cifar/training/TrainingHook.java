package dev.cifar.training;

import dev.cifar.evaluation.EpochMetrics;
import java.util.List;

/**
 * A side concern of a training run, called around the loop in the spirit of DJL's {@code
 * TrainingListener}: checkpoints, best weights, early stopping, weight averaging, freezing, the
 * divergence check and progress are each one hook; the loop itself only steps. Hooks run in the
 * order {@link Training} lists them; every method has an empty default.
 */
interface TrainingHook {

  /**
   * Before the first step of an epoch.
   *
   * @param epoch the epoch, from 1
   */
  default void beforeEpoch(int epoch) {}

  /**
   * After the forward pass of a step, before its backward pass.
   *
   * @param epoch the epoch
   * @param batch the batch within the epoch, from 1
   * @param batches the batches of an epoch
   * @param loss the step's training loss
   */
  default void afterForward(int epoch, int batch, int batches, float loss) {}

  /**
   * After the optimizer's update of a step.
   *
   * @param epoch the epoch
   * @param batch the batch within the epoch, from 1
   * @param batches the batches of an epoch
   * @param step the step of the run, from 1
   */
  default void afterStep(int epoch, int batch, int batches, int step) {}

  /**
   * Before the weights are measured on the dev split (they are the shipped ones until {@link
   * #afterMeasure}).
   */
  default void beforeMeasure() {}

  /** After the dev measurement: training goes on with the trained weights. */
  default void afterMeasure() {}

  /**
   * After an epoch was measured and added to the history.
   *
   * @param metrics the epoch's figures
   * @param history every epoch so far, this one last
   * @return whether the run should stop now
   */
  default boolean afterEpoch(EpochMetrics metrics, List<EpochMetrics> history) {
    return false;
  }

  /**
   * After the last epoch: leaves in the block the weights that ship.
   *
   * @param history every epoch of the run
   */
  default void afterTraining(List<EpochMetrics> history) {}

  /** The hooks of a run, called in their order. */
  final class All implements TrainingHook {

    private final List<TrainingHook> hooks;

    All(List<TrainingHook> hooks) {
      this.hooks = List.copyOf(hooks);
    }

    @Override
    public void beforeEpoch(int epoch) {
      hooks.forEach(h -> h.beforeEpoch(epoch));
    }

    @Override
    public void afterForward(int epoch, int batch, int batches, float loss) {
      hooks.forEach(h -> h.afterForward(epoch, batch, batches, loss));
    }

    @Override
    public void afterStep(int epoch, int batch, int batches, int step) {
      hooks.forEach(h -> h.afterStep(epoch, batch, batches, step));
    }

    @Override
    public void beforeMeasure() {
      hooks.forEach(TrainingHook::beforeMeasure);
    }

    @Override
    public void afterMeasure() {
      hooks.forEach(TrainingHook::afterMeasure);
    }

    @Override
    public boolean afterEpoch(EpochMetrics metrics, List<EpochMetrics> history) {
      boolean stop = false;
      for (TrainingHook h : hooks) {
        stop |= h.afterEpoch(metrics, history);
      }
      return stop;
    }

    @Override
    public void afterTraining(List<EpochMetrics> history) {
      hooks.forEach(h -> h.afterTraining(history));
    }
  }
}
