package dev.cifar.training;

import dev.cifar.recipe.Schedule;

/**
 * The learning rate at each step: a linear warm-up from {@code warmupFrom} times the peak over the
 * first steps, then constant, linearly decaying or cosine-decaying to {@code decayTo} times the
 * peak at the last step (airbench94: from 0.2 up to 1 over 23% of the steps, then down to 0.07).
 *
 * @param peak the learning rate after warm-up
 * @param shape constant, linear or cosine
 * @param warmupSteps steps of linear warm-up
 * @param totalSteps steps of the whole run
 * @param warmupFrom the rate before the first step, as a fraction of the peak, in [0, 1]
 * @param decayTo the rate at the last step, as a fraction of the peak, in [0, 1]
 */
public record LearningRateSchedule(
    float peak,
    Schedule.Shape shape,
    int warmupSteps,
    int totalSteps,
    float warmupFrom,
    float decayTo) {

  /**
   * A schedule that warms up from 0 and decays to 0.
   *
   * @param peak the learning rate after warm-up
   * @param shape constant, linear or cosine
   * @param warmupSteps steps of linear warm-up
   * @param totalSteps steps of the whole run
   */
  public LearningRateSchedule(float peak, Schedule.Shape shape, int warmupSteps, int totalSteps) {
    this(peak, shape, warmupSteps, totalSteps, 0f, 0f);
  }

  /**
   * Returns the rate of a step.
   *
   * @param step the step, from 1
   * @return the learning rate
   */
  public float at(int step) {
    if (step <= warmupSteps) {
      return (float) (peak * (warmupFrom + (1.0 - warmupFrom) * step / warmupSteps));
    }
    double progress =
        totalSteps <= warmupSteps ? 1 : (double) (step - warmupSteps) / (totalSteps - warmupSteps);
    progress = Math.min(1, progress);
    double remaining =
        switch (shape) {
          case CONSTANT -> 1;
          case LINEAR -> 1 - progress;
          case COSINE -> 0.5 * (1 + Math.cos(Math.PI * progress));
        };
    return shape == Schedule.Shape.CONSTANT
        ? peak
        : (float) (peak * (decayTo + (1 - decayTo) * remaining));
  }
}
