package dev.cifar.training;

import dev.cifar.ConfigurationException;
import dev.cifar.engine.DeviceChoice;
import dev.cifar.engine.Precision;
import dev.cifar.network.Normalization;
import dev.cifar.network.TestTimeAugmentation;
import dev.cifar.recipe.BatchAugmentation;
import dev.cifar.recipe.Schedule;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The training options by their {@code cifar.*} names, and the one mapping from their text to a
 * {@link TrainingConfig}: the Maven goal and the GPU bench driver both go through {@link #parse}.
 * Parsing errors name the option; an unknown name is refused. Defaults are not here: what an option
 * leaves unset, {@link TrainingConfig.Builder} and the network's {@link Recipe} decide.
 */
public final class TrainingOptions {

  /** {@code seed}, {@code fast}, {@code resnet18}. */
  public static final String NETWORK = "cifar.network";

  /** Passes over the training split. */
  public static final String EPOCHS = "cifar.epochs";

  /** Images per step. */
  public static final String BATCH_SIZE = "cifar.batchSize";

  /** The (peak) learning rate. */
  public static final String LEARNING_RATE = "cifar.learningRate";

  /** {@code adam} or {@code sgd}. */
  public static final String OPTIMIZER = "cifar.optimizer";

  /** SGD's momentum. */
  public static final String MOMENTUM = "cifar.momentum";

  /** L2 weight decay. */
  public static final String WEIGHT_DECAY = "cifar.weightDecay";

  /** {@code constant}, {@code linear} or {@code cosine}. */
  public static final String SCHEDULE = "cifar.schedule";

  /** Epochs of warm-up. */
  public static final String WARMUP_EPOCHS = "cifar.warmupEpochs";

  /** Where the warm-up starts, as a fraction of the peak rate. */
  public static final String WARMUP_FROM = "cifar.warmupFrom";

  /** Where a decay ends, as a fraction of the peak rate. */
  public static final String DECAY_TO = "cifar.decayTo";

  /** Label smoothing of the training loss. */
  public static final String LABEL_SMOOTHING = "cifar.labelSmoothing";

  /** Training-batch augmentation. */
  public static final String AUGMENT = "cifar.augment";

  /** Test-time augmentation. */
  public static final String TTA = "cifar.tta";

  /** Decay of an exponential moving average of the weights. */
  public static final String EMA = "cifar.ema";

  /** airbench's lookahead average. */
  public static final String LOOKAHEAD = "cifar.lookahead";

  /** {@code float32} or {@code bfloat16} convolutions on the CPU. */
  public static final String PRECISION = "cifar.precision";

  /** Epochs without improvement before stopping; 0 never. */
  public static final String PATIENCE = "cifar.patience";

  /** Ship the best epoch's weights. */
  public static final String KEEP_BEST = "cifar.keepBest";

  /** An artifact or TorchScript file to start from. */
  public static final String PRETRAINED = "cifar.pretrained";

  /** Epochs during which only a new head learns. */
  public static final String FREEZE_EPOCHS = "cifar.freezeEpochs";

  /** A TorchScript network's input side. */
  public static final String INPUT_SIZE = "cifar.inputSize";

  /** A TorchScript network's input mean, three numbers. */
  public static final String MEAN = "cifar.mean";

  /** A TorchScript network's input standard deviation, three numbers. */
  public static final String STD = "cifar.std";

  /** Seed of the split, the shuffles and the initial weights. */
  public static final String SEED = "cifar.seed";

  /** {@code auto}, {@code cpu} or {@code gpu}. */
  public static final String DEVICE = "cifar.device";

  /** Images held out for dev. */
  public static final String DEV_SIZE = "cifar.devSize";

  /** Training images; -1 for all that dev leaves. */
  public static final String TRAIN_SIZE = "cifar.trainSize";

  private static final Map<String, BiConsumer<TrainingConfig.Builder, String>> OPTIONS = options();

  private TrainingOptions() {}

  /**
   * @return every option's name, in the order {@link #parse} applies them
   */
  public static Set<String> names() {
    return Collections.unmodifiableSet(OPTIONS.keySet());
  }

  /**
   * Turns options, by name, into a configuration builder; {@code null} values are left unset.
   *
   * @param options {@code cifar.*} names and their text
   * @return a builder with every given option set, ready for more or for {@code build()}
   * @throws ConfigurationException naming an unknown option or a value that does not parse
   */
  public static TrainingConfig.Builder parse(Map<String, String> options) {
    for (String name : options.keySet()) {
      if (!OPTIONS.containsKey(name)) {
        throw new ConfigurationException(
            "Unknown training option '" + name + "'; the options are " + OPTIONS.keySet());
      }
    }
    TrainingConfig.Builder builder = TrainingConfig.builder();
    OPTIONS.forEach(
        (name, option) -> {
          String value = options.get(name);
          if (value != null) {
            option.accept(builder, value.strip());
          }
        });
    Normalization normalization = Normalization.parse(options.get(MEAN), options.get(STD));
    if (normalization != null) {
      builder.optNormalization(normalization);
    }
    return builder;
  }

  private static Map<String, BiConsumer<TrainingConfig.Builder, String>> options() {
    Map<String, BiConsumer<TrainingConfig.Builder, String>> m = new LinkedHashMap<>();
    m.put(NETWORK, TrainingConfig.Builder::optNetwork);
    m.put(EPOCHS, (b, v) -> b.optEpochs(integer(EPOCHS, v)));
    m.put(BATCH_SIZE, (b, v) -> b.optBatchSize(integer(BATCH_SIZE, v)));
    m.put(LEARNING_RATE, (b, v) -> b.optLearningRate(number(LEARNING_RATE, v)));
    m.put(OPTIMIZER, TrainingConfig.Builder::optOptimizer);
    m.put(MOMENTUM, (b, v) -> b.optMomentum(number(MOMENTUM, v)));
    m.put(WEIGHT_DECAY, (b, v) -> b.optWeightDecay(number(WEIGHT_DECAY, v)));
    m.put(SCHEDULE, (b, v) -> b.optSchedule(Schedule.Shape.parse(v)));
    m.put(WARMUP_EPOCHS, (b, v) -> b.optWarmupEpochs(number(WARMUP_EPOCHS, v)));
    m.put(WARMUP_FROM, (b, v) -> b.optWarmupFrom(number(WARMUP_FROM, v)));
    m.put(DECAY_TO, (b, v) -> b.optDecayTo(number(DECAY_TO, v)));
    m.put(LABEL_SMOOTHING, (b, v) -> b.optLabelSmoothing(number(LABEL_SMOOTHING, v)));
    m.put(AUGMENT, (b, v) -> b.optAugment(BatchAugmentation.parse(v)));
    m.put(TTA, (b, v) -> b.optTta(TestTimeAugmentation.parse(v)));
    m.put(EMA, (b, v) -> b.optEma(number(EMA, v)));
    m.put(LOOKAHEAD, (b, v) -> b.optLookahead(bool(LOOKAHEAD, v)));
    m.put(PRECISION, (b, v) -> b.optPrecision(Precision.parse(v)));
    m.put(PATIENCE, (b, v) -> b.optPatience(integer(PATIENCE, v)));
    m.put(KEEP_BEST, (b, v) -> b.optKeepBest(bool(KEEP_BEST, v)));
    m.put(PRETRAINED, (b, v) -> b.optPretrained(Pretrained.read(Path.of(v))));
    m.put(FREEZE_EPOCHS, (b, v) -> b.optFreezeEpochs(integer(FREEZE_EPOCHS, v)));
    m.put(INPUT_SIZE, (b, v) -> b.optInputSize(integer(INPUT_SIZE, v)));
    m.put(MEAN, (b, v) -> {}); // with STD, after the others
    m.put(STD, (b, v) -> {});
    m.put(SEED, (b, v) -> b.optSeed(whole(SEED, v)));
    m.put(DEVICE, (b, v) -> b.optDevice(DeviceChoice.parse(v)));
    m.put(DEV_SIZE, (b, v) -> b.optDevSize(integer(DEV_SIZE, v)));
    m.put(TRAIN_SIZE, (b, v) -> b.optTrainSize(integer(TRAIN_SIZE, v)));
    return m;
  }

  private static int integer(String name, String value) {
    long v = whole(name, value);
    if (v != (int) v) {
      throw new ConfigurationException(name + " is out of range: " + value);
    }
    return (int) v;
  }

  private static long whole(String name, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new ConfigurationException(name + " must be a whole number, not '" + value + "'");
    }
  }

  private static float number(String name, String value) {
    try {
      float v = Float.parseFloat(value);
      if (!Float.isFinite(v)) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new ConfigurationException(name + " must be a number, not '" + value + "'");
    }
  }

  private static boolean bool(String name, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new ConfigurationException(name + " must be true or false, not '" + value + "'");
    };
  }
}
