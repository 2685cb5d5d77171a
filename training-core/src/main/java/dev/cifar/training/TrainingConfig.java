package dev.cifar.training;

import dev.cifar.ConfigurationException;
import dev.cifar.engine.DeviceChoice;
import dev.cifar.network.Networks;
import java.util.LinkedHashMap;
import java.util.Map;

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

    private final String network;
    private final int epochs;
    private final int batchSize;
    private final float learningRate;
    private final long seed;
    private final DeviceChoice device;
    private final int trainSize;
    private final int devSize;

    private TrainingConfig(Builder b) {
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
        m.put("optimizer", "adam");
        m.put("learningRate", learningRate);
        m.put("loss", "softmax-cross-entropy");
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
