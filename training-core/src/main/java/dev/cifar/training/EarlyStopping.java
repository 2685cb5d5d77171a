package dev.cifar.training;

import dev.cifar.evaluation.EpochMetrics;
import java.util.List;

/**
 * Stops the run when the dev cross-entropy has not improved for {@code cifar.patience} epochs since
 * the best epoch that {@link BestWeightsTracker} keeps.
 */
final class EarlyStopping implements TrainingHook {

  private final int patience;
  private final BestWeightsTracker best;
  private final ProgressListener listener;

  EarlyStopping(int patience, BestWeightsTracker best, ProgressListener listener) {
    this.patience = patience;
    this.best = best;
    this.listener = listener;
  }

  @Override
  public boolean afterEpoch(EpochMetrics metrics, List<EpochMetrics> history) {
    int since = best.best().epoch();
    if (patience > 0 && metrics.epoch() - since >= patience) {
      listener.onInfo(
          "Early stopping after epoch "
              + metrics.epoch()
              + ": the dev cross-entropy has not improved"
              + " for "
              + patience
              + " epochs since epoch "
              + since
              + " (cifar.patience)");
      return true;
    }
    return false;
  }
}
