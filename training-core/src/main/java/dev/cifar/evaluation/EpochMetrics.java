package dev.cifar.evaluation;

import java.util.Locale;

/**
 * What one epoch achieved: mean loss and accuracy over every training and dev image, the training
 * speed and the wall time of the epoch.
 *
 * @param epoch the epoch, from 1
 * @param epochs the number of epochs of the run
 * @param trainLoss mean training loss over the training images (the objective: label-smoothed where
 *     the run smooths labels)
 * @param trainAccuracy fraction of training images classified right while training
 * @param devLoss mean plain cross-entropy over the dev images ({@link Evaluator}), or NaN without
 *     dev images
 * @param devAccuracy fraction of dev images classified right, or NaN without dev images
 * @param imagesPerSecond training images per second of the training phase
 * @param seconds wall time of the epoch, training and dev evaluation
 */
public record EpochMetrics(
    int epoch,
    int epochs,
    double trainLoss,
    double trainAccuracy,
    double devLoss,
    double devAccuracy,
    double imagesPerSecond,
    double seconds) {

  /**
   * Formats the epoch as one build-log line, e.g. {@code epoch 3/10 train loss 1.30 acc 0.53 | dev
   * loss 1.29 acc 0.54 | 9,800 img/s | 4.6 s}.
   *
   * @return the line
   */
  public String toLogLine() {
    String dev =
        Double.isNaN(devLoss)
            ? "dev -"
            : String.format(Locale.ROOT, "dev loss %.2f acc %.2f", devLoss, devAccuracy);
    return String.format(
        Locale.ROOT,
        "epoch %d/%d  train loss %.2f acc %.2f | %s | %,d img/s | %.1f s",
        epoch,
        epochs,
        trainLoss,
        trainAccuracy,
        dev,
        Math.round(imagesPerSecond),
        seconds);
  }
}
