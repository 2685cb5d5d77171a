package dev.cifar.classifier;

/**
 * What the classifier's request coalescing has done since it was built: single-image calls ({@link
 * Classifier#classify(byte[], int)} and the other one-image methods) and the forward passes that
 * answered them. Calls that bring their own batch are not counted.
 *
 * @param requests single images submitted
 * @param forwardPasses forward passes that answered them; fewer than {@code requests} when
 *     concurrent calls were coalesced
 * @param largestBatch the most images answered by one of those forward passes
 */
public record BatchStatistics(long requests, long forwardPasses, int largestBatch) {

  /**
   * Returns the mean number of images per forward pass.
   *
   * @return requests per forward pass, 0 before the first
   */
  public double meanBatch() {
    return forwardPasses == 0 ? 0 : (double) requests / forwardPasses;
  }
}
