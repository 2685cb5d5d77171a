package dev.cifar.training;

import dev.cifar.evaluation.EpochMetrics;
import java.util.List;

/** Keeps a {@link WeightAverage} up to date, measures it in place of the weights, and ships it. */
final class WeightAveraging implements TrainingHook {

  private final WeightAverage average;

  WeightAveraging(WeightAverage average) {
    this.average = average;
  }

  @Override
  public void afterStep(int epoch, int batch, int batches, int step) {
    average.update(step);
  }

  @Override
  public void beforeMeasure() {
    average.swapIn();
  }

  @Override
  public void afterMeasure() {
    average.restore();
  }

  @Override
  public void afterTraining(List<EpochMetrics> history) {
    average.swapIn();
    average.keep();
  }
}
