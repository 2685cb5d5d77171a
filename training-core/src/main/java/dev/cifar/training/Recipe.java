package dev.cifar.training;

import java.util.EnumSet;
import java.util.Set;

/**
 * The defaults of the training options that depend on the network: what a run uses for every
 * option the user leaves unset. {@code seed} trains as the notebook did; {@code fast} follows
 * the airbench94 recipe (Nesterov SGD at momentum 0.85 with a high rate on a 1/9-scaled
 * output, batch 1,024, label smoothing 0.2, flip and crop, warm-up over 23% of the steps then
 * linear decay, flip test-time augmentation).
 *
 * @param batchSize images per step
 * @param optimizer adam or sgd
 * @param learningRate the peak rate
 * @param momentum SGD's momentum
 * @param weightDecay L2 weight decay
 * @param schedule the shape after warm-up
 * @param warmupFraction the fraction of the epochs spent warming up
 * @param labelSmoothing label smoothing
 * @param augment the batch augmentations
 * @param tta whether evaluation and serving average the logits of each image and its mirror
 */
record Recipe(int batchSize, String optimizer, float learningRate, float momentum, float weightDecay,
        LearningRateSchedule.Shape schedule, float warmupFraction, float labelSmoothing,
        Set<Augmentation.Kind> augment, boolean tta) {

    /** The notebook's training: Adam 0.001, batch 128, constant rate, no augmentation. */
    static final Recipe NOTEBOOK = new Recipe(128, "adam", 0.001f, 0.9f, 0f, LearningRateSchedule.Shape.CONSTANT,
            0f, 0f, EnumSet.noneOf(Augmentation.Kind.class), false);

    /**
     * airbench94's hyper-parameters restated for a mean (not summed) loss: its rate 11.5 per
     * 1,024 images at momentum 0.85 is 1.5 here, its decoupled decay 0.0153 is 0.00133.
     */
    static final Recipe FAST = new Recipe(1024, "sgd", 1.5f, 0.85f, 0.00133f, LearningRateSchedule.Shape.LINEAR,
            0.23f, 0.2f, EnumSet.of(Augmentation.Kind.FLIP, Augmentation.Kind.CROP), true);

    /**
     * Returns the recipe of a network.
     *
     * @param network the network's name
     * @return its recipe; the notebook's for networks without one
     */
    static Recipe of(String network) {
        return "fast".equals(network) ? FAST : NOTEBOOK;
    }
}
