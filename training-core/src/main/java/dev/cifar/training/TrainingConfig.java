package dev.cifar.training;

import dev.cifar.ConfigurationException;
import dev.cifar.engine.DeviceChoice;
import dev.cifar.network.Networks;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Everything that decides a training run, as one immutable value: the single source of the
 * defaults, recorded in every artifact. Build it with {@link #builder()}; {@code opt*}
 * methods override a default.
 */
public final class TrainingConfig {

    /** Default network. */
    public static final String DEFAULT_NETWORK = "seed";
    /** Default number of epochs (the notebook's 10). */
    public static final int DEFAULT_EPOCHS = 10;
    /** Default batch size (the notebook's 128). */
    public static final int DEFAULT_BATCH_SIZE = 128;
    /** Default Adam learning rate (the notebook's 0.001). */
    public static final float DEFAULT_LEARNING_RATE = 0.001f;
    /** Default seed of the split, the shuffles and the initialisation. */
    public static final long DEFAULT_SEED = 42;
    /** Default number of dev images (the notebook's 5,000). */
    public static final int DEFAULT_DEV_SIZE = 5000;
    /** Default momentum of SGD. */
    public static final float DEFAULT_MOMENTUM = 0.9f;

    private final String network;
    private final int epochs;
    private final int batchSize;
    private final float learningRate;
    private final long seed;
    private final DeviceChoice device;
    private final int trainSize;
    private final int devSize;
    private final String optimizer;
    private final float momentum;
    private final float weightDecay;
    private final LearningRateSchedule.Shape schedule;
    private final float warmupEpochs;
    private final float labelSmoothing;
    private final Set<Augmentation.Kind> augment;
    private final int patience;
    private final boolean keepBest;

    private TrainingConfig(Builder b) {
        this.optimizer = b.optimizer;
        this.momentum = b.momentum;
        this.weightDecay = b.weightDecay;
        this.schedule = b.schedule;
        this.warmupEpochs = b.warmupEpochs;
        this.labelSmoothing = b.labelSmoothing;
        this.augment = Collections.unmodifiableSet(EnumSet.copyOf(b.augment));
        this.patience = b.patience;
        this.keepBest = b.keepBest;
        this.network = b.network;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.seed = b.seed;
        this.device = b.device;
        this.trainSize = b.trainSize;
        this.devSize = b.devSize;
    }

    /**
     * Starts a builder holding the defaults.
     *
     * @return the builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the network name */
    public String network() {
        return network;
    }

    /** @return the number of epochs */
    public int epochs() {
        return epochs;
    }

    /** @return images per training step */
    public int batchSize() {
        return batchSize;
    }

    /** @return Adam's learning rate */
    public float learningRate() {
        return learningRate;
    }

    /** @return the seed of split, shuffles and initialisation */
    public long seed() {
        return seed;
    }

    /** @return where to train */
    public DeviceChoice device() {
        return device;
    }

    /** @return training images, or -1 for all that the dev split leaves */
    public int trainSize() {
        return trainSize;
    }

    /** @return dev images */
    public int devSize() {
        return devSize;
    }

    /** @return {@code adam} or {@code sgd} (Nesterov momentum) */
    public String optimizer() {
        return optimizer;
    }

    /** @return SGD's momentum */
    public float momentum() {
        return momentum;
    }

    /** @return L2 weight decay */
    public float weightDecay() {
        return weightDecay;
    }

    /** @return how the learning rate evolves after warm-up */
    public LearningRateSchedule.Shape schedule() {
        return schedule;
    }

    /** @return epochs of linear learning-rate warm-up */
    public float warmupEpochs() {
        return warmupEpochs;
    }

    /** @return label smoothing of the cross-entropy, 0 for none */
    public float labelSmoothing() {
        return labelSmoothing;
    }

    /** @return the augmentations applied to training batches */
    public Set<Augmentation.Kind> augment() {
        return augment;
    }

    /** @return epochs without a better dev loss before training stops; 0 never stops early */
    public int patience() {
        return patience;
    }

    /** @return whether the artifact keeps the weights of the epoch with the lowest dev loss */
    public boolean keepBest() {
        return keepBest;
    }

    /**
     * Returns the configuration as ordered key/value pairs, as recorded in {@code model.json}.
     *
     * @return the values by parameter name
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("network", network);
        m.put("epochs", epochs);
        m.put("batchSize", batchSize);
        m.put("optimizer", optimizer);
        m.put("learningRate", learningRate);
        if (optimizer.equals("sgd")) {
            m.put("momentum", momentum);
            m.put("nesterov", true);
        }
        m.put("weightDecay", weightDecay);
        m.put("schedule", schedule.name().toLowerCase(java.util.Locale.ROOT));
        m.put("warmupEpochs", warmupEpochs);
        m.put("loss", "softmax-cross-entropy");
        m.put("labelSmoothing", labelSmoothing);
        m.put("augment", Augmentation.Kind.names(augment));
        m.put("patience", patience);
        m.put("keepBest", keepBest);
        m.put("seed", seed);
        m.put("device", device.name().toLowerCase(java.util.Locale.ROOT));
        m.put("trainSize", trainSize);
        m.put("devSize", devSize);
        return m;
    }

    @Override
    public String toString() {
        return toMap().toString();
    }

    /** Builds a {@link TrainingConfig}. */
    public static final class Builder {
        private String network = DEFAULT_NETWORK;
        private int epochs = DEFAULT_EPOCHS;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private float learningRate = DEFAULT_LEARNING_RATE;
        private long seed = DEFAULT_SEED;
        private DeviceChoice device = DeviceChoice.AUTO;
        private int trainSize = -1;
        private int devSize = DEFAULT_DEV_SIZE;
        private String optimizer = "adam";
        private float momentum = DEFAULT_MOMENTUM;
        private float weightDecay;
        private LearningRateSchedule.Shape schedule = LearningRateSchedule.Shape.CONSTANT;
        private float warmupEpochs;
        private float labelSmoothing;
        private Set<Augmentation.Kind> augment = EnumSet.noneOf(Augmentation.Kind.class);
        private int patience;
        private boolean keepBest = true;

        private Builder() {
        }

        /**
         * Selects the network.
         *
         * @param network a name known to {@link Networks}
         * @return this builder
         */
        public Builder optNetwork(String network) {
            this.network = network;
            return this;
        }

        /**
         * Sets the number of epochs.
         *
         * @param epochs at least 1
         * @return this builder
         */
        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /**
         * Sets the batch size.
         *
         * @param batchSize at least 1
         * @return this builder
         */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets Adam's learning rate.
         *
         * @param learningRate positive
         * @return this builder
         */
        public Builder optLearningRate(float learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /**
         * Sets the seed.
         *
         * @param seed any value
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Chooses the device.
         *
         * @param device auto, cpu or gpu
         * @return this builder
         */
        public Builder optDevice(DeviceChoice device) {
            this.device = device;
            return this;
        }

        /**
         * Sets the number of training images.
         *
         * @param trainSize positive, or -1 for all that the dev split leaves
         * @return this builder
         */
        public Builder optTrainSize(int trainSize) {
            this.trainSize = trainSize;
            return this;
        }

        /**
         * Sets the number of dev images.
         *
         * @param devSize at least 0
         * @return this builder
         */
        public Builder optDevSize(int devSize) {
            this.devSize = devSize;
            return this;
        }

        /**
         * Chooses the optimizer.
         *
         * @param optimizer {@code adam} (the notebook) or {@code sgd} (Nesterov momentum)
         * @return this builder
         */
        public Builder optOptimizer(String optimizer) {
            this.optimizer = optimizer == null ? "adam" : optimizer.strip().toLowerCase(java.util.Locale.ROOT);
            return this;
        }

        /**
         * Sets SGD's momentum.
         *
         * @param momentum in [0, 1)
         * @return this builder
         */
        public Builder optMomentum(float momentum) {
            this.momentum = momentum;
            return this;
        }

        /**
         * Sets L2 weight decay.
         *
         * @param weightDecay at least 0
         * @return this builder
         */
        public Builder optWeightDecay(float weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /**
         * Sets the learning-rate schedule after warm-up.
         *
         * @param schedule constant, linear or cosine
         * @return this builder
         */
        public Builder optSchedule(LearningRateSchedule.Shape schedule) {
            this.schedule = schedule;
            return this;
        }

        /**
         * Sets the epochs of linear warm-up from 0.
         *
         * @param warmupEpochs at least 0, may be fractional
         * @return this builder
         */
        public Builder optWarmupEpochs(float warmupEpochs) {
            this.warmupEpochs = warmupEpochs;
            return this;
        }

        /**
         * Sets label smoothing.
         *
         * @param labelSmoothing in [0, 1)
         * @return this builder
         */
        public Builder optLabelSmoothing(float labelSmoothing) {
            this.labelSmoothing = labelSmoothing;
            return this;
        }

        /**
         * Sets the augmentations of training batches.
         *
         * @param augment e.g. flip and crop
         * @return this builder
         */
        public Builder optAugment(Set<Augmentation.Kind> augment) {
            this.augment = augment.isEmpty() ? EnumSet.noneOf(Augmentation.Kind.class) : EnumSet.copyOf(augment);
            return this;
        }

        /**
         * Stops when the dev loss has not improved for this many epochs.
         *
         * @param patience at least 0; 0 never stops early
         * @return this builder
         */
        public Builder optPatience(int patience) {
            this.patience = patience;
            return this;
        }

        /**
         * Keeps the weights of the epoch with the lowest dev loss in the result.
         *
         * @param keepBest true by default
         * @return this builder
         */
        public Builder optKeepBest(boolean keepBest) {
            this.keepBest = keepBest;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the configuration
         * @throws ConfigurationException naming the first invalid option
         */
        public TrainingConfig build() {
            Networks.named(network);
            require(epochs >= 1, "epochs must be at least 1, not " + epochs + " (cifar.epochs)");
            require(batchSize >= 1, "batch size must be at least 1, not " + batchSize + " (cifar.batchSize)");
            require(learningRate > 0 && Float.isFinite(learningRate),
                    "learning rate must be a positive number, not " + learningRate + " (cifar.learningRate)");
            require(devSize >= 0, "dev size must be at least 0, not " + devSize + " (cifar.devSize)");
            require(trainSize == -1 || trainSize >= 1,
                    "train size must be positive or -1 for the rest, not " + trainSize + " (cifar.trainSize)");
            require(optimizer.equals("adam") || optimizer.equals("sgd"),
                    "Unknown optimizer '" + optimizer + "': use adam or sgd (cifar.optimizer)");
            require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), not " + momentum + " (cifar.momentum)");
            require(weightDecay >= 0 && Float.isFinite(weightDecay),
                    "weight decay must be at least 0, not " + weightDecay + " (cifar.weightDecay)");
            require(warmupEpochs >= 0 && warmupEpochs <= epochs,
                    "warm-up must be between 0 and the " + epochs + " epochs, not " + warmupEpochs + " (cifar.warmupEpochs)");
            require(labelSmoothing >= 0 && labelSmoothing < 1,
                    "label smoothing must be in [0, 1), not " + labelSmoothing + " (cifar.labelSmoothing)");
            require(patience >= 0, "patience must be at least 0, not " + patience + " (cifar.patience)");
            if (schedule == null) {
                schedule = LearningRateSchedule.Shape.CONSTANT;
            }
            if (device == null) {
                device = DeviceChoice.AUTO;
            }
            return new TrainingConfig(this);
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new ConfigurationException(message);
            }
        }
    }
}
