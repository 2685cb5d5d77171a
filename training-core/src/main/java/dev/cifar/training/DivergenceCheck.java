package dev.cifar.training;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Stops the run at the first non-finite training loss, before its backward pass and before the next
 * checkpoint.
 */
final class DivergenceCheck implements TrainingHook {

  private final float learningRate;
  private final Path checkpoints;

  DivergenceCheck(float learningRate, Path checkpoints) {
    this.learningRate = learningRate;
    this.checkpoints = checkpoints;
  }

  @Override
  public void afterForward(int epoch, int batch, int batches, float loss) {
    if (!Float.isFinite(loss)) {
      String kept =
          checkpoints != null && epoch > 1
              ? "; the checkpoint of epoch " + (epoch - 1) + " in " + checkpoints + " is kept"
              : "";
      throw new TrainingDivergedException(
          String.format(
              Locale.ROOT,
              "Training diverged at epoch %d, batch %d of %d: the loss is %s%s. Lower cifar.learningRate (now %s)",
              epoch,
              batch,
              batches,
              loss,
              kept,
              learningRate),
          epoch,
          batch);
    }
  }
}
