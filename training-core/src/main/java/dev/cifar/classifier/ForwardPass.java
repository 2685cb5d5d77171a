package dev.cifar.classifier;

/**
 * One lane of forward passes of a {@link Classifier}: a lane runs one batch at a time, lanes run in
 * parallel.
 */
interface ForwardPass extends AutoCloseable {

  /**
   * Runs a batch.
   *
   * @param images each 3072 bytes in CIFAR order, at least one
   * @return one probability vector per image
   * @throws dev.cifar.CifarException when the pass fails
   */
  float[][] probabilities(byte[][] images);

  @Override
  void close();
}
