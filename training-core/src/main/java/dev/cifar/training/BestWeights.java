package dev.cifar.training;

/**
 * The parameters of the epoch with the lowest dev cross-entropy so far, kept so that a run that
 * overfits ships its best epoch, not its last.
 *
 * @param epoch the best epoch, or 0 before any
 * @param loss its dev loss, or +infinity before any
 * @param parameters its parameters (the weight average when the run keeps one) as an encoded {@code
 *     NDList} in the block's parameter order, or {@code null} before any
 */
record BestWeights(int epoch, double loss, byte[] parameters) {

  /** No best epoch yet. */
  static final BestWeights NONE = new BestWeights(0, Double.POSITIVE_INFINITY, null);
}
