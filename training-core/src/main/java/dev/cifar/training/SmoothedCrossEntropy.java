package dev.cifar.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Cross-entropy with label smoothing, as PyTorch's {@code CrossEntropyLoss(label_smoothing=e)}:
 * {@code (1 - e) * -log p[y] + e * mean_k(-log p[k])}, averaged over the batch.
 */
final class SmoothedCrossEntropy extends Loss {

  private final float smoothing;

  SmoothedCrossEntropy(float smoothing) {
    super("SmoothedCrossEntropy");
    this.smoothing = smoothing;
  }

  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    NDArray logp = predictions.singletonOrThrow().logSoftmax(1);
    NDArray target =
        labels.singletonOrThrow().toType(ai.djl.ndarray.types.DataType.INT64, false).reshape(-1, 1);
    NDArray nll = logp.gather(target, 1).neg().reshape(-1);
    NDArray uniform = logp.mean(new int[] {1}).neg();
    return nll.mul(1 - smoothing).add(uniform.mul(smoothing)).mean();
  }
}
