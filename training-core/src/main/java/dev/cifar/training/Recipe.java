package dev.cifar.training;

import dev.cifar.engine.Precision;
import dev.cifar.network.TestTimeAugmentation;
import java.util.EnumSet;
import java.util.Set;

/**
 * The defaults of the training options that depend on the network: what a run uses for every option
 * the user leaves unset. {@code seed} trains as the notebook did; {@code fast} follows the
 * airbench94 recipe (Nesterov SGD at momentum 0.85 with a high rate on a 1/9-scaled output, batch
 * 1,024, label smoothing 0.2, alternating flip and 2-pixel translation, a rate warming up from 0.2
 * of the peak over 23% of the steps then falling linearly to 0.07 of it, lookahead weight
 * averaging, test-time averaging over mirror and translated views, and bfloat16 convolutions on
 * CPUs with AMX, as airbench trains in half precision on GPUs); {@code resnet18} the usual
 * ResNet-18 recipe for CIFAR-10.
 *
 * @param batchSize images per step
 * @param optimizer adam or sgd
 * @param learningRate the peak rate
 * @param momentum SGD's momentum
 * @param weightDecay L2 weight decay
 * @param schedule the shape after warm-up
 * @param warmupFraction the fraction of the epochs spent warming up
 * @param warmupFrom the rate at the start of the warm-up, as a fraction of the peak
 * @param decayTo the rate at the last step, as a fraction of the peak
 * @param labelSmoothing label smoothing
 * @param augment the batch augmentations
 * @param tta the test-time augmentation of evaluation and serving
 * @param lookahead whether weights are averaged by airbench's lookahead
 * @param precision the arithmetic of the convolutions on the CPU
 */
record Recipe(
    int batchSize,
    String optimizer,
    float learningRate,
    float momentum,
    float weightDecay,
    LearningRateSchedule.Shape schedule,
    float warmupFraction,
    float warmupFrom,
    float decayTo,
    float labelSmoothing,
    Set<Augmentation.Kind> augment,
    TestTimeAugmentation tta,
    boolean lookahead,
    Precision precision) {

  /** The notebook's training: Adam 0.001, batch 128, constant rate, no augmentation. */
  static final Recipe NOTEBOOK =
      new Recipe(
          128,
          "adam",
          0.001f,
          0.9f,
          0f,
          LearningRateSchedule.Shape.CONSTANT,
          0f,
          0f,
          0f,
          0f,
          EnumSet.noneOf(Augmentation.Kind.class),
          TestTimeAugmentation.NONE,
          false,
          Precision.FLOAT32);

  /**
   * airbench94's hyper-parameters restated for a mean (not summed) loss: its rate 11.5 per 1,024
   * images at momentum 0.85 is 1.5 here, its decoupled decay 0.0153 is 0.00133.
   */
  static final Recipe FAST =
      new Recipe(
          1024,
          "sgd",
          1.5f,
          0.85f,
          0.00133f,
          LearningRateSchedule.Shape.LINEAR,
          0.23f,
          0.2f,
          0.07f,
          0.2f,
          EnumSet.of(Augmentation.Kind.ALTFLIP, Augmentation.Kind.TRANSLATE),
          TestTimeAugmentation.FLIP_TRANSLATE,
          true,
          Precision.BFLOAT16);

  /**
   * The common CIFAR-10 recipe of ResNet-18: Nesterov SGD at 0.1 with momentum 0.9 and weight decay
   * 5e-4, batch 128, a warm-up over the first 10% of the steps then cosine decay, flip and crop,
   * flip test-time augmentation.
   */
  static final Recipe RESNET18 =
      new Recipe(
          128,
          "sgd",
          0.1f,
          0.9f,
          5e-4f,
          LearningRateSchedule.Shape.COSINE,
          0.1f,
          0f,
          0f,
          0f,
          EnumSet.of(Augmentation.Kind.FLIP, Augmentation.Kind.CROP),
          TestTimeAugmentation.FLIP,
          false,
          Precision.FLOAT32);

  /**
   * Returns the recipe of a network.
   *
   * @param network the network's name
   * @return its recipe; the notebook's for networks without one
   */
  static Recipe of(String network) {
    return switch (network) {
      case "fast" -> FAST;
      case "resnet18" -> RESNET18;
      default -> NOTEBOOK;
    };
  }
}
