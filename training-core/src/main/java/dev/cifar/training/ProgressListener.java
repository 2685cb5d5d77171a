package dev.cifar.training;

import dev.cifar.evaluation.EpochMetrics;

/**
 * The one channel through which a training run reports progress. The Maven plugin's log, a progress
 * bar and reports are listeners; every method has an empty default.
 */
public interface ProgressListener {

  /**
   * An informational line (device, data, sizes).
   *
   * @param line the message
   */
  default void onInfo(String line) {}

  /**
   * A problem that does not stop the run (e.g. a data file differing from the official one).
   *
   * @param line the message
   */
  default void onWarning(String line) {}

  /**
   * A training step finished.
   *
   * @param epoch the epoch, from 1
   * @param batch the batch just finished, from 1
   * @param batches batches in this epoch
   */
  default void onBatch(int epoch, int batch, int batches) {}

  /**
   * An epoch finished, dev evaluation included.
   *
   * @param metrics what it achieved
   */
  default void onEpoch(EpochMetrics metrics) {}
}
