package dev.cifar.network;

import dev.cifar.engine.Precision;
import dev.cifar.recipe.Averaging;
import dev.cifar.recipe.BatchAugmentation;
import dev.cifar.recipe.Optimizer;
import dev.cifar.recipe.Schedule;
import java.util.Objects;
import java.util.Set;

/**
 * How a network is trained when the user leaves an option unset: each {@link Network} owns one
 * ({@link Network#recipe()}). {@code seed} trains as the notebook did ({@link #NOTEBOOK}); {@code
 * fast} and {@code resnet18} carry theirs in their classes.
 *
 * @param batchSize images per step
 * @param optimizer the optimizer and its settings
 * @param schedule the learning-rate plan, in fractions of the run
 * @param labelSmoothing label smoothing of the cross-entropy
 * @param augment the batch augmentations
 * @param tta the test-time augmentation of evaluation and serving
 * @param averaging how the shipped weights are averaged
 * @param precision the arithmetic of the convolutions on the CPU
 */
public record Recipe(
    int batchSize,
    Optimizer optimizer,
    Schedule schedule,
    float labelSmoothing,
    Set<BatchAugmentation> augment,
    TestTimeAugmentation tta,
    Averaging averaging,
    Precision precision) {

  /** The notebook's training: Adam 0.001, batch 128, constant rate, no augmentation. */
  public static final Recipe NOTEBOOK =
      new Recipe(
          128,
          new Optimizer.Adam(0.001f, 0f),
          Schedule.CONSTANT,
          0f,
          Set.of(),
          TestTimeAugmentation.NONE,
          Averaging.NONE,
          Precision.FLOAT32);

  /** Checks the values. */
  public Recipe {
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(tta, "tta");
    Objects.requireNonNull(averaging, "averaging");
    Objects.requireNonNull(precision, "precision");
    augment = BatchAugmentation.checked(augment);
  }
}
