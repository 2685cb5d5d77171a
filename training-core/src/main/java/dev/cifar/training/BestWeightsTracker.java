package dev.cifar.training;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.cifar.evaluation.EpochMetrics;
import java.util.List;
import java.util.Locale;

/**
 * Keeps the weights that would ship (the average, when the run keeps one) of the epoch with the
 * lowest dev cross-entropy, and with {@code cifar.keepBest} leaves them in the block at the end of
 * the run, saying so when they are not the last epoch's.
 */
final class BestWeightsTracker implements TrainingHook {

  private final Block block;
  private final WeightAverage average;
  private final boolean keepBest;
  private final ProgressListener listener;
  private BestWeights best;

  BestWeightsTracker(
      Block block,
      WeightAverage average,
      boolean keepBest,
      BestWeights start,
      ProgressListener listener) {
    this.block = block;
    this.average = average;
    this.keepBest = keepBest;
    this.best = start;
    this.listener = listener;
  }

  /**
   * @return the best epoch so far, {@link BestWeights#NONE} before any
   */
  BestWeights best() {
    return best;
  }

  @Override
  public boolean afterEpoch(EpochMetrics metrics, List<EpochMetrics> history) {
    if (metrics.devLoss() < best.loss()) {
      best = new BestWeights(metrics.epoch(), metrics.devLoss(), snapshot());
    }
    return false;
  }

  @Override
  public void afterTraining(List<EpochMetrics> history) {
    if (keepBest && best.parameters() != null && best.epoch() != history.size()) {
      restore(best.parameters());
      listener.onInfo(
          String.format(
              Locale.ROOT,
              "Keeping the weights of epoch %d, the lowest dev cross-entropy (%.4f), not those of epoch %d"
                  + " (cifar.keepBest)",
              best.epoch(),
              best.loss(),
              history.size()));
    }
  }

  /** The weights that would ship, as one encoded list. */
  private byte[] snapshot() {
    if (average != null) {
      average.swapIn();
    }
    try {
      NDList arrays = new NDList();
      block.getParameters().forEach(p -> arrays.add(p.getValue().getArray()));
      return arrays.encode();
    } finally {
      if (average != null) {
        average.restore();
      }
    }
  }

  private void restore(byte[] snapshot) {
    var parameters = block.getParameters();
    try (NDManager manager = parameters.get(0).getValue().getArray().getManager().newSubManager()) {
      NDList arrays = NDList.decode(manager, snapshot);
      for (int i = 0; i < parameters.size(); i++) {
        arrays.get(i).copyTo(parameters.get(i).getValue().getArray());
      }
    }
  }
}
