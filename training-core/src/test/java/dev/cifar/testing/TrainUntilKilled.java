package dev.cifar.testing;

import dev.cifar.training.ProgressListener;
import dev.cifar.training.Training;
import dev.cifar.training.TrainingConfig;
import java.nio.file.Path;

/**
 * A training run in a child process for fault tests: trains the synthetic data set with
 * checkpoints, printing {@code batch <epoch> <batch>} after each step (slowed down so that a test
 * can kill it in the middle of an epoch) and {@code finished} at the end.
 */
public final class TrainUntilKilled {

  /** The configuration the child and the parent's uninterrupted run share. */
  public static TrainingConfig config(int epochs) {
    return TrainingConfig.builder()
        .optEpochs(epochs)
        .optBatchSize(25)
        .optDevSize(50)
        .optSeed(11)
        .build();
  }

  private TrainUntilKilled() {}

  /**
   * Runs it.
   *
   * @param args checkpoint directory, epochs
   */
  public static void main(String[] args) {
    Training.builder()
        .setConfig(config(Integer.parseInt(args[1])))
        .setTrainingSet(SyntheticCifar.images(400, 31))
        .optCheckpoints(Path.of(args[0]))
        .optListener(
            new ProgressListener() {
              @Override
              public void onBatch(int epoch, int batch, int batches) {
                System.out.println("batch " + epoch + " " + batch);
                System.out.flush();
                try {
                  Thread.sleep(40);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            })
        .build()
        .run();
    System.out.println("finished");
  }
}
