package dev.cifar.training;

import ai.djl.nn.Block;
import dev.cifar.CifarException;
import dev.cifar.evaluation.EpochMetrics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the run's state ({@link Checkpoint}) after every epoch, atomically, so that a killed run
 * can resume.
 */
final class CheckpointWriter implements TrainingHook {

  private final Path dir;
  private final String runKey;
  private final Block block;
  private final StatefulOptimizer optimizer;
  private final BestWeightsTracker best;
  private final WeightAverage average;

  CheckpointWriter(
      Path dir,
      String runKey,
      Block block,
      StatefulOptimizer optimizer,
      BestWeightsTracker best,
      WeightAverage average) {
    this.dir = dir;
    this.runKey = runKey;
    this.block = block;
    this.optimizer = optimizer;
    this.best = best;
    this.average = average;
  }

  @Override
  public boolean afterEpoch(EpochMetrics metrics, List<EpochMetrics> history) {
    try {
      Checkpoint.write(dir, runKey, history, block, optimizer, best.best(), average);
    } catch (IOException e) {
      throw new CifarException("Cannot write a checkpoint into " + dir + ": " + e.getMessage(), e);
    }
    return false;
  }
}
