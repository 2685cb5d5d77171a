package dev.cifar.training;

import dev.cifar.CifarException;

/**
 * The loss became NaN or infinite: training stopped at once, and the last good checkpoint (the end
 * of the previous epoch) was kept.
 */
public class TrainingDivergedException extends CifarException {

  private static final long serialVersionUID = 1L;

  private final int epoch;
  private final int batch;

  /**
   * Creates the exception.
   *
   * @param message what happened, with the epoch and batch
   * @param epoch the epoch, from 1
   * @param batch the batch, from 1
   */
  public TrainingDivergedException(String message, int epoch, int batch) {
    super(message);
    this.epoch = epoch;
    this.batch = batch;
  }

  /**
   * Returns the epoch in which the loss stopped being finite.
   *
   * @return the epoch, from 1
   */
  public int epoch() {
    return epoch;
  }

  /**
   * Returns the batch whose loss was not finite.
   *
   * @return the batch, from 1
   */
  public int batch() {
    return batch;
  }
}
