package dev.cifar.training;

import dev.cifar.ConfigurationException;
import dev.cifar.data.LabeledImages;
import dev.cifar.engine.DeviceChoice;
import dev.cifar.engine.Precision;
import dev.cifar.network.Network;
import dev.cifar.network.Networks;
import dev.cifar.network.Normalization;
import dev.cifar.network.Recipe;
import dev.cifar.network.TestTimeAugmentation;
import dev.cifar.network.TorchScriptNetwork;
import dev.cifar.recipe.Averaging;
import dev.cifar.recipe.BatchAugmentation;
import dev.cifar.recipe.Optimizer;
import dev.cifar.recipe.Schedule;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything that decides a training run, as one immutable value made of typed parts: the optimizer
 * ({@link Optimizer}: Adam or SGD), the schedule in fractions of the run ({@link Schedule}), weight
 * averaging ({@link Averaging}: none, EMA or lookahead) and the start ({@link Start}: from scratch,
 * an artifact or TorchScript). Each part checks itself and the constructor checks how they fit
 * together, so an illegal configuration cannot be made. It is recorded in every artifact ({@link
 * #toMap}).
 *
 * <p>Build it with {@link #builder()}, which takes the options one by one as {@code cifar.*} names
 * them; every option left unset takes the network's {@link Recipe} value, or the defaults here.
 *
 * @param network the network's name ({@value TorchScriptNetwork#NAME} for a TorchScript start)
 * @param epochs the number of epochs, at least 1
 * @param batchSize images per training step, at least 1
 * @param optimizer the optimizer and its settings
 * @param schedule the learning-rate plan
 * @param labelSmoothing label smoothing of the cross-entropy, in [0, 1)
 * @param augment the augmentations applied to training batches
 * @param tta the test-time augmentation of evaluation and serving
 * @param averaging how the evaluated and shipped weights are averaged
 * @param precision the arithmetic of the convolutions asked for
 * @param patience epochs without a better dev loss before training stops; 0 never stops early
 * @param keepBest whether the artifact keeps the weights of the epoch with the lowest dev
 *     cross-entropy
 * @param start where the weights start
 * @param seed the seed of split, shuffles and initialisation
 * @param device where to train
 * @param trainSize training images, or -1 for all that the dev split leaves
 * @param devSize dev images, at least 0
 */
public record TrainingConfig(
    String network,
    int epochs,
    int batchSize,
    Optimizer optimizer,
    Schedule schedule,
    float labelSmoothing,
    Set<BatchAugmentation> augment,
    TestTimeAugmentation tta,
    Averaging averaging,
    Precision precision,
    int patience,
    boolean keepBest,
    Start start,
    long seed,
    DeviceChoice device,
    int trainSize,
    int devSize) {

  /** Default network. */
  public static final String DEFAULT_NETWORK = "seed";

  /** Default number of epochs (the notebook's 10). */
  public static final int DEFAULT_EPOCHS = 10;

  /** Default seed of the split, the shuffles and the initialisation. */
  public static final long DEFAULT_SEED = 42;

  /** Default number of dev images (the notebook's 5,000). */
  public static final int DEFAULT_DEV_SIZE = 5000;

  /**
   * Checks each value and how the parts fit together.
   *
   * @throws ConfigurationException naming the first invalid option
   */
  public TrainingConfig {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(tta, "tta");
    Objects.requireNonNull(averaging, "averaging");
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(device, "device");
    augment = BatchAugmentation.checked(augment);
    require(epochs >= 1, "epochs must be at least 1, not " + epochs + " (cifar.epochs)");
    require(
        batchSize >= 1, "batch size must be at least 1, not " + batchSize + " (cifar.batchSize)");
    require(devSize >= 0, "dev size must be at least 0, not " + devSize + " (cifar.devSize)");
    require(
        trainSize == -1 || trainSize >= 1,
        "train size must be positive or -1 for the rest, not " + trainSize + " (cifar.trainSize)");
    require(
        labelSmoothing >= 0 && labelSmoothing < 1,
        "label smoothing must be in [0, 1), not " + labelSmoothing + " (cifar.labelSmoothing)");
    require(patience >= 0, "patience must be at least 0, not " + patience + " (cifar.patience)");
    require(
        start.freezeEpochs() <= epochs,
        "frozen epochs must be between 0 and the "
            + epochs
            + " epochs, not "
            + start.freezeEpochs()
            + " (cifar.freezeEpochs)");
    String expected =
        start instanceof Start.FromArtifact artifact
            ? artifact.artifact().network()
            : start instanceof Start.FromTorchScript ? TorchScriptNetwork.NAME : null;
    if (expected != null) {
      require(
          network.equals(expected),
          "network '" + network + "' does not match the pretrained start's '" + expected + "'");
    } else {
      require(
          !network.equals(TorchScriptNetwork.NAME),
          "network '"
              + TorchScriptNetwork.NAME
              + "' fine-tunes a TorchScript module: set cifar.pretrained=file.pt");
      Networks.named(network);
    }
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
   * @return the epochs of warm-up the schedule plans for this run, possibly fractional
   */
  public float warmupEpochs() {
    return schedule.warmupEpochs(epochs);
  }

  /**
   * @return the side of the square images the network takes; images are resized to it
   */
  public int inputSize() {
    return start.inputSize();
  }

  /**
   * Returns the network definition this configuration trains.
   *
   * @return the named network, or the TorchScript network of a pretrained module
   */
  public Network resolveNetwork() {
    return start instanceof Start.FromTorchScript module
        ? TorchScriptNetwork.of(module.inputSize(), module.normalization())
        : Networks.named(network);
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
    m.put("optimizer", optimizer.name());
    m.put("learningRate", optimizer.learningRate());
    if (optimizer instanceof Optimizer.Sgd sgd) {
      m.put("momentum", sgd.momentum());
      m.put("nesterov", true);
    }
    m.put("weightDecay", optimizer.weightDecay());
    m.put("schedule", schedule.shape().name().toLowerCase(Locale.ROOT));
    m.put("warmupEpochs", warmupEpochs());
    m.put("warmupFrom", schedule.warmupFrom());
    m.put("decayTo", schedule.decayTo());
    m.put("loss", "softmax-cross-entropy");
    m.put("labelSmoothing", labelSmoothing);
    m.put("augment", BatchAugmentation.names(augment));
    m.put("patience", patience);
    m.put("keepBest", keepBest);
    m.put("tta", tta.label());
    m.put("ema", averaging instanceof Averaging.Ema ema ? ema.decay() : 0f);
    m.put("lookahead", averaging instanceof Averaging.Lookahead);
    m.put("precision", precision.label());
    if (start instanceof Start.FromArtifact artifact) {
      m.put("pretrained", artifact.artifact().describe());
      m.put("freezeEpochs", artifact.freezeEpochs());
    } else if (start instanceof Start.FromTorchScript module) {
      m.put("pretrained", module.module().describe());
      m.put("freezeEpochs", module.freezeEpochs());
      m.put("inputSize", module.inputSize());
      m.put("mean", Arrays.toString(module.normalization().mean()));
      m.put("std", Arrays.toString(module.normalization().std()));
    }
    m.put("seed", seed);
    m.put("device", device.name().toLowerCase(Locale.ROOT));
    m.put("trainSize", trainSize);
    m.put("devSize", devSize);
    return m;
  }

  @Override
  public String toString() {
    return toMap().toString();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new ConfigurationException(message);
    }
  }

  /**
   * Builds a {@link TrainingConfig} from options given one by one, as {@code cifar.*} names them;
   * {@link TrainingOptions} maps the names to these methods. Each {@code opt*} method overrides
   * what the network's {@link Recipe} or the defaults give. A builder builds any number of times.
   */
  public static final class Builder {
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
    private Schedule.Shape schedule;
    private Float warmupEpochs;
    private Float warmupFrom;
    private Float decayTo;
    private Float labelSmoothing;
    private Set<BatchAugmentation> augment;
    private int patience;
    private boolean keepBest = true;
    private TestTimeAugmentation tta;
    private float ema;
    private Boolean lookahead;
    private Precision precision;
    private Pretrained pretrained;
    private int freezeEpochs;
    private Integer inputSize;
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
      this.device = Objects.requireNonNull(device, "device");
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
      this.optimizer = optimizer;
      return this;
    }

    /**
     * Sets SGD's momentum; refused with Adam.
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
    public Builder optSchedule(Schedule.Shape schedule) {
      this.schedule = schedule;
      return this;
    }

    /**
     * Sets the epochs of linear warm-up, which the schedule keeps as a fraction of this run's
     * epochs.
     *
     * @param warmupEpochs between 0 and the epochs, may be fractional
     * @return this builder
     */
    public Builder optWarmupEpochs(float warmupEpochs) {
      this.warmupEpochs = warmupEpochs;
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
    public Builder optAugment(Set<BatchAugmentation> augment) {
      this.augment = Set.copyOf(augment);
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
     * and ships it instead of the last weights (instead of the recipe's averaging).
     *
     * @param ema the decay, in [0, 1); 0 (the default) keeps none
     * @return this builder
     */
    public Builder optEma(float ema) {
      this.ema = ema;
      return this;
    }

    /**
     * Averages the weights by airbench's lookahead, or not.
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
     * Fills in the recipe for every option left unset, and builds.
     *
     * @return the configuration
     * @throws ConfigurationException naming the first invalid option or combination
     */
    public TrainingConfig build() {
      String name = networkName();
      Recipe recipe = resolveRecipe(name);
      return new TrainingConfig(
          name,
          epochs,
          batchSize != null ? batchSize : recipe.batchSize(),
          optimizer(recipe.optimizer()),
          schedule(recipe.schedule()),
          labelSmoothing != null ? labelSmoothing : recipe.labelSmoothing(),
          augment != null ? augment : recipe.augment(),
          tta != null ? tta : recipe.tta(),
          averaging(recipe.averaging()),
          precision != null ? precision : recipe.precision(),
          patience,
          keepBest,
          start(),
          seed,
          device,
          trainSize,
          devSize);
    }

    private static Recipe resolveRecipe(String network) {
      return TorchScriptNetwork.NAME.equals(network)
          ? TorchScriptNetwork.RECIPE
          : Networks.named(network).recipe();
    }

    private Optimizer optimizer(Optimizer recipe) {
      String name = optimizer != null ? optimizer : recipe.name();
      Float sgdMomentum = momentum;
      if (sgdMomentum == null
          && recipe instanceof Optimizer.Sgd sgd
          && name.strip().equalsIgnoreCase(sgd.name())) {
        sgdMomentum = sgd.momentum();
      }
      return Optimizer.of(
          name,
          learningRate != null ? learningRate : recipe.learningRate(),
          sgdMomentum,
          weightDecay != null ? weightDecay : recipe.weightDecay());
    }

    private Schedule schedule(Schedule recipe) {
      double fraction = recipe.warmupFraction();
      if (warmupEpochs != null) {
        require(
            warmupEpochs >= 0 && warmupEpochs <= epochs,
            "warm-up must be between 0 and the "
                + epochs
                + " epochs, not "
                + warmupEpochs
                + " (cifar.warmupEpochs)");
        fraction = (double) warmupEpochs / epochs;
      }
      return new Schedule(
          schedule != null ? schedule : recipe.shape(),
          fraction,
          warmupFrom != null ? warmupFrom : recipe.warmupFrom(),
          decayTo != null ? decayTo : recipe.decayTo());
    }

    private Averaging averaging(Averaging recipe) {
      require(ema >= 0 && ema < 1, "EMA decay must be in [0, 1), not " + ema + " (cifar.ema)");
      if (ema > 0) {
        require(
            lookahead == null || !lookahead,
            "cifar.ema and cifar.lookahead are two ways to average the weights: choose one");
        return new Averaging.Ema(ema);
      }
      if (lookahead != null) {
        return lookahead ? Averaging.LOOKAHEAD : Averaging.NONE;
      }
      return recipe;
    }

    private Start start() {
      if (pretrained == null) {
        require(
            freezeEpochs == 0,
            "cifar.freezeEpochs needs a pretrained network to freeze (cifar.pretrained)");
      }
      if (pretrained == null || !pretrained.isTorchScript()) {
        require(
            inputSize == null || inputSize == LabeledImages.SIDE,
            "cifar.inputSize applies to a TorchScript network (cifar.pretrained=file.pt); network '"
                + networkName()
                + "' takes "
                + LabeledImages.SIDE
                + "x"
                + LabeledImages.SIDE
                + " images");
        require(
            normalization == null,
            "cifar.mean and cifar.std apply to a TorchScript network"
                + " (cifar.pretrained=file.pt); network '"
                + networkName()
                + "' has its own normalisation");
      }
      if (pretrained == null) {
        return Start.SCRATCH;
      }
      return pretrained.isTorchScript()
          ? new Start.FromTorchScript(
              pretrained,
              inputSize != null ? inputSize : LabeledImages.SIDE,
              normalization,
              freezeEpochs)
          : new Start.FromArtifact(pretrained, freezeEpochs);
    }

    private String networkName() {
      String requested = network == null ? null : network.strip().toLowerCase(Locale.ROOT);
      if (pretrained == null) {
        String name = requested == null ? DEFAULT_NETWORK : requested;
        Networks.named(name);
        return name;
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
      if (!pretrained.isTorchScript()) {
        Networks.named(pretrained.network());
      }
      return pretrained.network();
    }
  }
}
