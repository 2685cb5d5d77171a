package dev.cifar.training;

import dev.cifar.evaluation.EpochMetrics;
import java.util.List;

/** Reports every step and every epoch to the run's {@link ProgressListener}. */
final class ProgressHook implements TrainingHook {

  private final ProgressListener listener;

  ProgressHook(ProgressListener listener) {
    this.listener = listener;
  }

  @Override
  public void afterStep(int epoch, int batch, int batches, int step) {
    listener.onBatch(epoch, batch, batches);
  }

  @Override
  public boolean afterEpoch(EpochMetrics metrics, List<EpochMetrics> history) {
    listener.onEpoch(metrics);
    return false;
  }
}
