package dev.cifar.training;

import dev.cifar.ConfigurationException;
import dev.cifar.data.LabeledImages;
import dev.cifar.engine.DeviceChoice;
import dev.cifar.engine.Precision;
import dev.cifar.network.Network;
import dev.cifar.network.Networks;
import dev.cifar.network.Normalization;
import dev.cifar.network.TestTimeAugmentation;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Everything that decides a training run, as one immutable value: the single source of the
 * defaults, recorded in every artifact. Build it with {@link #builder()}; {@code opt*} methods
 * override a default. Options a network is tuned with (batch size, optimizer and its settings,
 * schedule, label smoothing, augmentation, test-time augmentation) default to the chosen network's
 * recipe: the notebook's for {@code seed}, airbench94's for {@code fast}.
 */
public final class TrainingConfig {

  /** Default network. */
  public static final String DEFAULT_NETWORK = "seed";

  /** Default number of epochs (the notebook's 10). */
  public static final int DEFAULT_EPOCHS = 10;

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
  private final String optimizer;
  private final float momentum;
  private final float weightDecay;
  private final LearningRateSchedule.Shape schedule;
  private final float warmupEpochs;
  private final Float recipeWarmupFraction;
  private final float warmupFrom;
  private final float decayTo;
  private final float labelSmoothing;
  private final Set<Augmentation.Kind> augment;
  private final int patience;
  private final boolean keepBest;
  private final TestTimeAugmentation tta;
  private final float ema;
  private final boolean lookahead;
  private final Precision precision;
  private final Pretrained pretrained;
  private final int freezeEpochs;
  private final int inputSize;
  private final Normalization normalization;

  private TrainingConfig(Builder b) {
    this.optimizer = b.optimizer;
    this.momentum = b.momentum;
    this.weightDecay = b.weightDecay;
    this.schedule = b.schedule;
    this.warmupEpochs = b.warmupEpochs;
    this.recipeWarmupFraction = b.recipeWarmupFraction;
    this.warmupFrom = b.warmupFrom;
    this.decayTo = b.decayTo;
    this.labelSmoothing = b.labelSmoothing;
    this.augment = Collections.unmodifiableSet(EnumSet.copyOf(b.augment));
    this.patience = b.patience;
    this.keepBest = b.keepBest;
    this.tta = b.tta;
    this.ema = b.ema;
    this.lookahead = b.lookahead;
    this.precision = b.precision;
    this.pretrained = b.pretrained;
    this.freezeEpochs = b.freezeEpochs;
    this.inputSize = b.inputSize;
    this.normalization = b.normalization;
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

  /**
   * @return the arithmetic of the convolutions asked for
   */
  public Precision precision() {
    return precision;
  }

  /**
   * @return the network name
   */
  public String network() {
    return network;
  }

  /**
   * @return the number of epochs
   */
  public int epochs() {
    return epochs;
  }

  /**
   * @return images per training step
   */
  public int batchSize() {
    return batchSize;
  }

  /**
   * @return the peak learning rate
   */
  public float learningRate() {
    return learningRate;
  }

  /**
   * @return the seed of split, shuffles and initialisation
   */
  public long seed() {
    return seed;
  }

  /**
   * @return where to train
   */
  public DeviceChoice device() {
    return device;
  }

  /**
   * @return training images, or -1 for all that the dev split leaves
   */
  public int trainSize() {
    return trainSize;
  }

  /**
   * @return dev images
   */
  public int devSize() {
    return devSize;
  }

  /**
   * @return {@code adam} or {@code sgd} (Nesterov momentum)
   */
  public String optimizer() {
    return optimizer;
  }

  /**
   * @return SGD's momentum
   */
  public float momentum() {
    return momentum;
  }

  /**
   * @return L2 weight decay
   */
  public float weightDecay() {
    return weightDecay;
  }

  /**
   * @return how the learning rate evolves after warm-up
   */
  public LearningRateSchedule.Shape schedule() {
    return schedule;
  }

  /**
   * @return epochs of linear learning-rate warm-up
   */
  public float warmupEpochs() {
    return warmupEpochs;
  }

  /**
   * @return the fraction of the epochs the recipe warms up for, when {@code cifar.warmupEpochs} was
   *     not set (the warm-up then follows the epoch count, also when a resumed run trains further);
   *     {@code null} when it was set
   */
  public Float recipeWarmupFraction() {
    return recipeWarmupFraction;
  }

  /**
   * @return label smoothing of the cross-entropy, 0 for none
   */
  public float labelSmoothing() {
    return labelSmoothing;
  }

  /**
   * @return the augmentations applied to training batches
   */
  public Set<Augmentation.Kind> augment() {
    return augment;
  }

  /**
   * @return epochs without a better dev loss before training stops; 0 never stops early
   */
  public int patience() {
    return patience;
  }

  /**
   * @return whether the artifact keeps the weights of the epoch with the lowest dev cross-entropy
   */
  public boolean keepBest() {
    return keepBest;
  }

  /**
   * @return the test-time augmentation of evaluation and serving
   */
  public TestTimeAugmentation tta() {
    return tta;
  }

  /**
   * @return the decay of the exponential moving average of the weights; 0 for none
   */
  public float ema() {
    return ema;
  }

  /**
   * @return whether weights are averaged by lookahead (every 5 steps, then trained on from the
   *     average)
   */
  public boolean lookahead() {
    return lookahead;
  }

  /**
   * @return the rate at the start of the warm-up, as a fraction of the peak
   */
  public float warmupFrom() {
    return warmupFrom;
  }

  /**
   * @return the rate at the last step, as a fraction of the peak
   */
  public float decayTo() {
    return decayTo;
  }

  /**
   * @return where training starts from, or {@code null} for a fresh initialisation
   */
  public Pretrained pretrained() {
    return pretrained;
  }

  /**
   * @return epochs during which only the new classifier head of a pretrained network learns
   */
  public int freezeEpochs() {
    return freezeEpochs;
  }

  /**
   * @return the side of the square images the network takes; images are resized to it
   */
  public int inputSize() {
    return inputSize;
  }

  /**
   * @return the input normalisation of the network
   */
  public Normalization normalization() {
    return normalization;
  }

  /**
   * Returns the network definition this configuration trains.
   *
   * @return the named network, or the TorchScript network of a pretrained module
   */
  public Network resolveNetwork() {
    return Networks.resolve(network, inputSize, normalization);
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
    m.put("warmupFrom", warmupFrom);
    m.put("decayTo", decayTo);
    m.put("loss", "softmax-cross-entropy");
    m.put("labelSmoothing", labelSmoothing);
    m.put("augment", Augmentation.Kind.names(augment));
    m.put("patience", patience);
    m.put("keepBest", keepBest);
    m.put("tta", tta.label());
    m.put("ema", ema);
    m.put("lookahead", lookahead);
    m.put("precision", precision.label());
    if (pretrained != null) {
      m.put("pretrained", pretrained.describe());
      m.put("freezeEpochs", freezeEpochs);
    }
    if (Pretrained.TORCHSCRIPT.equals(network)) {
      m.put("inputSize", inputSize);
      m.put("mean", java.util.Arrays.toString(normalization.mean()));
      m.put("std", java.util.Arrays.toString(normalization.std()));
    }
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
  public static final class Builder implements Cloneable {
    private String network;
    private int epochs = DEFAULT_EPOCHS;
    private Integer batchSize;
    private Float learningRate;
    private long seed = DEFAULT_SEED;
    private DeviceChoice device = DeviceChoice.AUTO;
    private int trainSize = -1;
    private int devSize = DEFAULT_DEV_SIZE;
    private String optimizer;
    private Float momentum;
    private Float weightDecay;
    private LearningRateSchedule.Shape schedule;
    private Float warmupEpochs;
    private Float recipeWarmupFraction;
    private Float warmupFrom;
    private Float decayTo;
    private Float labelSmoothing;
    private Set<Augmentation.Kind> augment;
    private int patience;
    private boolean keepBest = true;
    private TestTimeAugmentation tta;
    private float ema;
    private Boolean lookahead;
    private Precision precision;
    private Pretrained pretrained;
    private int freezeEpochs;
    private int inputSize = LabeledImages.SIDE;
    private Normalization normalization;

    private Builder() {}

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
     * Sets the (peak) learning rate.
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
      this.optimizer =
          optimizer == null ? null : optimizer.strip().toLowerCase(java.util.Locale.ROOT);
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
      this.augment =
          augment.isEmpty() ? EnumSet.noneOf(Augmentation.Kind.class) : EnumSet.copyOf(augment);
      return this;
    }

    /**
     * Stops when the dev cross-entropy has not improved for this many epochs.
     *
     * @param patience at least 0; 0 never stops early
     * @return this builder
     */
    public Builder optPatience(int patience) {
      this.patience = patience;
      return this;
    }

    /**
     * Keeps the weights of the epoch with the lowest dev cross-entropy in the result.
     *
     * @param keepBest true by default
     * @return this builder
     */
    public Builder optKeepBest(boolean keepBest) {
      this.keepBest = keepBest;
      return this;
    }

    /**
     * Sets the test-time augmentation: the views of each image whose logits are averaged in
     * evaluation and, through the artifact, in serving.
     *
     * @param tta none, flip, or flip and translate; the network's recipe decides by default
     * @return this builder
     */
    public Builder optTta(TestTimeAugmentation tta) {
      this.tta = tta;
      return this;
    }

    /**
     * Keeps an exponential moving average of the weights, updated after every step, and evaluates
     * and ships it instead of the last weights.
     *
     * @param ema the decay, in [0, 1); 0 (the default) keeps none
     * @return this builder
     */
    public Builder optEma(float ema) {
      this.ema = ema;
      return this;
    }

    /**
     * Averages the weights by airbench's lookahead: every 5 steps the average takes in the weights
     * with a decay rising from 0 to 0.77 over the run, and training goes on from the average, which
     * is what evaluation sees and the artifact ships.
     *
     * @param lookahead whether to; the network's recipe decides by default
     * @return this builder
     */
    public Builder optLookahead(boolean lookahead) {
      this.lookahead = lookahead;
      return this;
    }

    /**
     * Sets the arithmetic of the convolutions on the CPU: bfloat16 convolutions and gradients with
     * float32 sums are faster on CPUs with AMX (weights, batch norm and the optimizer stay
     * float32); a run reports and records what the CPU really did.
     *
     * @param precision float32, or bfloat16; the network's recipe decides by default (bfloat16 for
     *     fast)
     * @return this builder
     */
    public Builder optPrecision(Precision precision) {
      this.precision = precision;
      return this;
    }

    /**
     * Sets where the warm-up starts, as a fraction of the peak rate.
     *
     * @param warmupFrom in [0, 1]; the network's recipe decides by default (0, or 0.2 for fast)
     * @return this builder
     */
    public Builder optWarmupFrom(float warmupFrom) {
      this.warmupFrom = warmupFrom;
      return this;
    }

    /**
     * Sets where a linear or cosine decay ends at the last step, as a fraction of the peak.
     *
     * @param decayTo in [0, 1]; the network's recipe decides by default (0, or 0.07 for fast)
     * @return this builder
     */
    public Builder optDecayTo(float decayTo) {
      this.decayTo = decayTo;
      return this;
    }

    /**
     * Starts from pretrained weights instead of a fresh initialisation.
     *
     * @param pretrained an artifact's weights or a TorchScript module
     * @return this builder
     */
    public Builder optPretrained(Pretrained pretrained) {
      this.pretrained = pretrained;
      return this;
    }

    /**
     * Trains only the new classifier head of a pretrained network for the first epochs.
     *
     * @param freezeEpochs at least 0
     * @return this builder
     */
    public Builder optFreezeEpochs(int freezeEpochs) {
      this.freezeEpochs = freezeEpochs;
      return this;
    }

    /**
     * Sets the side of the square images a TorchScript network takes; batches are resized to it on
     * the device.
     *
     * @param inputSize 8 to 1024; 32 (CIFAR-10's) by default
     * @return this builder
     */
    public Builder optInputSize(int inputSize) {
      this.inputSize = inputSize;
      return this;
    }

    /**
     * Sets the input normalisation of a TorchScript network (the one it was trained with).
     *
     * @param normalization per-channel means and standard deviations on [0, 1]
     * @return this builder
     */
    public Builder optNormalization(Normalization normalization) {
      this.normalization = normalization;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @return the configuration
     * @throws ConfigurationException naming the first invalid option
     */
    public TrainingConfig build() {
      Builder resolved;
      try {
        resolved = (Builder) clone();
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
      return resolved.resolve();
    }

    /** Fills in the recipe's defaults and checks; runs on a copy, so a builder builds again. */
    private TrainingConfig resolve() {
      resolveNetworkName();
      Recipe recipe = Recipe.of(network);
      batchSize = batchSize != null ? batchSize : recipe.batchSize();
      optimizer = optimizer != null ? optimizer : recipe.optimizer();
      learningRate = learningRate != null ? learningRate : recipe.learningRate();
      momentum = momentum != null ? momentum : recipe.momentum();
      weightDecay = weightDecay != null ? weightDecay : recipe.weightDecay();
      schedule = schedule != null ? schedule : recipe.schedule();
      if (warmupEpochs == null) {
        recipeWarmupFraction = recipe.warmupFraction();
        warmupEpochs = recipeWarmupFraction * epochs;
      }
      labelSmoothing = labelSmoothing != null ? labelSmoothing : recipe.labelSmoothing();
      augment = augment != null ? augment : recipe.augment();
      tta = tta != null ? tta : recipe.tta();
      warmupFrom = warmupFrom != null ? warmupFrom : recipe.warmupFrom();
      decayTo = decayTo != null ? decayTo : recipe.decayTo();
      precision = precision != null ? precision : recipe.precision();
      require(
          lookahead == null || !lookahead || ema == 0,
          "cifar.ema and cifar.lookahead are two ways to average the weights: choose one");
      lookahead = lookahead != null ? lookahead : ema == 0 && recipe.lookahead();
      Augmentation.Kind.check(augment);
      require(epochs >= 1, "epochs must be at least 1, not " + epochs + " (cifar.epochs)");
      require(
          batchSize >= 1, "batch size must be at least 1, not " + batchSize + " (cifar.batchSize)");
      require(
          learningRate > 0 && Float.isFinite(learningRate),
          "learning rate must be a positive number, not " + learningRate + " (cifar.learningRate)");
      require(devSize >= 0, "dev size must be at least 0, not " + devSize + " (cifar.devSize)");
      require(
          trainSize == -1 || trainSize >= 1,
          "train size must be positive or -1 for the rest, not "
              + trainSize
              + " (cifar.trainSize)");
      require(
          optimizer.equals("adam") || optimizer.equals("sgd"),
          "Unknown optimizer '" + optimizer + "': use adam or sgd (cifar.optimizer)");
      require(
          momentum >= 0 && momentum < 1,
          "momentum must be in [0, 1), not " + momentum + " (cifar.momentum)");
      require(
          weightDecay >= 0 && Float.isFinite(weightDecay),
          "weight decay must be at least 0, not " + weightDecay + " (cifar.weightDecay)");
      require(
          warmupEpochs >= 0 && warmupEpochs <= epochs,
          "warm-up must be between 0 and the "
              + epochs
              + " epochs, not "
              + warmupEpochs
              + " (cifar.warmupEpochs)");
      require(
          labelSmoothing >= 0 && labelSmoothing < 1,
          "label smoothing must be in [0, 1), not " + labelSmoothing + " (cifar.labelSmoothing)");
      require(
          warmupFrom >= 0 && warmupFrom <= 1,
          "the warm-up start must be a fraction of the rate in [0, 1], not "
              + warmupFrom
              + " (cifar.warmupFrom)");
      require(
          decayTo >= 0 && decayTo <= 1,
          "the final rate must be a fraction of the peak in [0, 1], not "
              + decayTo
              + " (cifar.decayTo)");
      require(patience >= 0, "patience must be at least 0, not " + patience + " (cifar.patience)");
      require(ema >= 0 && ema < 1, "EMA decay must be in [0, 1), not " + ema + " (cifar.ema)");
      require(
          freezeEpochs >= 0 && freezeEpochs <= epochs,
          "frozen epochs must be between 0 and the "
              + epochs
              + " epochs, not "
              + freezeEpochs
              + " (cifar.freezeEpochs)");
      require(
          freezeEpochs == 0 || pretrained != null,
          "cifar.freezeEpochs needs a pretrained network to freeze (cifar.pretrained)");
      require(
          inputSize >= 8 && inputSize <= 1024,
          "input size must be between 8 and 1024, not " + inputSize + " (cifar.inputSize)");
      boolean torchScript = Pretrained.TORCHSCRIPT.equals(network);
      require(
          torchScript || inputSize == LabeledImages.SIDE,
          "cifar.inputSize applies to a TorchScript network (cifar.pretrained=file.pt); network '"
              + network
              + "' takes "
              + LabeledImages.SIDE
              + "x"
              + LabeledImages.SIDE
              + " images");
      require(
          torchScript || normalization == null,
          "cifar.mean and cifar.std apply to a TorchScript network"
              + " (cifar.pretrained=file.pt); network '"
              + network
              + "' has its own normalisation");
      require(
          !torchScript || normalization != null,
          "A TorchScript network needs the input normalisation it"
              + " was trained with: set cifar.mean and cifar.std (ImageNet networks: 0.485,0.456,0.406 and"
              + " 0.229,0.224,0.225)");
      if (schedule == null) {
        schedule = LearningRateSchedule.Shape.CONSTANT;
      }
      if (device == null) {
        device = DeviceChoice.AUTO;
      }
      return new TrainingConfig(this);
    }

    private void resolveNetworkName() {
      String requested =
          network == null ? null : network.strip().toLowerCase(java.util.Locale.ROOT);
      if (pretrained == null) {
        network = requested == null ? DEFAULT_NETWORK : requested;
        Networks.named(network);
        return;
      }
      if (requested != null && !requested.equals(pretrained.network())) {
        throw new ConfigurationException(
            pretrained.isTorchScript()
                ? "cifar.pretrained="
                    + pretrained.source()
                    + " is a TorchScript network; it cannot be combined"
                    + " with cifar.network="
                    + requested
                    + " (leave cifar.network unset)"
                : "The pretrained artifact "
                    + pretrained.source()
                    + " holds network '"
                    + pretrained.network()
                    + "', not cifar.network="
                    + requested);
      }
      network = pretrained.network();
      if (!pretrained.isTorchScript()) {
        Networks.named(network);
      }
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new ConfigurationException(message);
      }
    }
  }
}
