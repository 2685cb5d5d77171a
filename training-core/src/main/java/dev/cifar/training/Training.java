package dev.cifar.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.cifar.ConfigurationException;
import dev.cifar.data.LabeledImages;
import dev.cifar.data.Split;
import dev.cifar.engine.Bfloat16Convolution;
import dev.cifar.engine.ConvolutionLayouts;
import dev.cifar.engine.ConvolutionMath;
import dev.cifar.engine.Engines;
import dev.cifar.engine.MemoryLayout;
import dev.cifar.engine.NativeAllocator;
import dev.cifar.engine.OneDnnCaches;
import dev.cifar.engine.OneDnnMaxPool;
import dev.cifar.engine.Precision;
import dev.cifar.evaluation.EpochMetrics;
import dev.cifar.evaluation.Evaluation;
import dev.cifar.evaluation.Evaluator;
import dev.cifar.network.ImageBatches;
import dev.cifar.network.ImageTensors;
import dev.cifar.network.MaxPool2d;
import dev.cifar.network.Network;
import dev.cifar.network.PrecisionConv2d;
import dev.cifar.network.TestTimeAugmentation;
import dev.cifar.network.TorchScriptNetwork;
import dev.cifar.recipe.Averaging;
import dev.cifar.recipe.Optimizer;
import dev.cifar.recipe.Schedule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * The training loop on DJL's PyTorch engine. The whole training set lives in one uint8 tensor on
 * the training device; a step is one gather of the batch's indices, one normalisation, forward,
 * cross-entropy, backward and one fused optimizer update, all on that device. Every epoch
 * reshuffles the training split and measures the dev split; progress goes to the listener. With a
 * checkpoint directory, the state after every epoch is written there atomically and a later run can
 * resume from it.
 */
public final class Training {

  private static final int EVAL_BATCH = 250;

  private final TrainingConfig config;
  private final LabeledImages trainingSet;
  private final LabeledImages testSet;
  private final ProgressListener listener;
  private final Path checkpoints;
  private final boolean resume;
  private final Augmentation augmentation;

  /** The layout batches go to the network in, chosen by {@link #run()}. */
  private MemoryLayout layout = MemoryLayout.NCHW;

  private Training(Builder b) {
    this.config = Objects.requireNonNull(b.config, "config");
    this.trainingSet = Objects.requireNonNull(b.trainingSet, "training set");
    this.testSet = b.testSet;
    this.listener = b.listener;
    this.checkpoints = b.checkpoints;
    this.resume = b.resume;
    this.augmentation = new Augmentation(config.augment(), config.seed());
    if (resume && checkpoints == null) {
      throw new ConfigurationException("resuming needs a checkpoint directory");
    }
  }

  /**
   * Starts a builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Trains, evaluates on dev and test, and returns the parameters with their history.
   *
   * @return the result
   * @throws dev.cifar.ConfigurationException when the split sizes or the device do not fit
   */
  public TrainingResult run() {
    long startNanos = System.nanoTime();
    Split split = Split.of(trainingSet.size(), config.trainSize(), config.devSize(), config.seed());
    NativeAllocator.keepFreedMemory(listener::onInfo);
    Engine engine = Engines.pytorch();
    OneDnnCaches.report(listener::onInfo, listener::onWarning);
    Device device = Engines.select(config.device());
    Precision precision =
        ConvolutionMath.apply(config.precision(), device, listener::onInfo, listener::onWarning);
    engine.setRandomSeed((int) config.seed());
    List<String> classes = trainingSet.classes();
    Start start = config.start();
    String runKey = checkpoints == null ? null : Fingerprint.runKey(config, trainingSet);
    try (Model model = Model.newInstance("cifar-" + config.network(), device, Engines.ENGINE);
        Model module =
            start instanceof Start.FromTorchScript torchScript
                ? TorchScriptModules.load(torchScript.module().source(), device)
                : null;
        Bfloat16Convolution bfloat16 =
            precision == Precision.BFLOAT16 ? Bfloat16Convolution.load() : null;
        OneDnnMaxPool pooling = device.isGpu() ? null : oneDnnMaxPool()) {
      Network network = config.resolveNetwork();
      if (network instanceof TorchScriptNetwork torchScript) {
        network = torchScript.withModule(module.getBlock());
      }
      Block block = network.build(classes.size());
      if (bfloat16 != null && PrecisionConv2d.use(block, bfloat16) == 0) {
        listener.onWarning(
            "cifar.precision=bfloat16, but network '"
                + network.name()
                + "' has no"
                + " convolution that computes in bfloat16 (only fast's do); the run goes on in float32");
        precision = Precision.FLOAT32;
      }
      if (pooling != null) {
        MaxPool2d.use(block, pooling);
      }
      String hardware =
          Engines.describe(device)
              + (precision == Precision.BFLOAT16 ? ", bfloat16 convolutions" : "");
      listener.onInfo("Training " + network.description() + " on " + hardware);
      listener.onInfo(
          String.format(
              java.util.Locale.ROOT,
              "%,d training and %,d dev images, %d classes, %s",
              split.train().length,
              split.dev().length,
              classes.size(),
              config));
      model.setBlock(block);
      Checkpoint.Loaded resumed = resumeFrom(runKey, block, model.getNDManager());
      int batches = (split.train().length + config.batchSize() - 1) / config.batchSize();
      DefaultTrainingConfig trainingConfig =
          new DefaultTrainingConfig(loss()).optDevices(new Device[] {device});
      List<EpochMetrics> history = new ArrayList<>();
      Evaluation dev;
      Evaluation test;
      WeightAverage average = null;
      try (StatefulOptimizer optimizer = optimizer(batches, device);
          Trainer trainer = model.newTrainer(trainingConfig);
          NDManager data = trainer.getManager().newSubManager();
          ImageTensors tensors = new ImageTensors(data, network.normalization())) {
        trainer.initialize(
            new Shape(1, LabeledImages.CHANNELS, LabeledImages.SIDE, LabeledImages.SIDE));
        layout =
            ConvolutionLayouts.choose(network.layout(), block, device, true, listener::onWarning);
        for (var parameter : block.getParameters()) {
          optimizer.scaleRate(
              parameter.getValue().getId(), network.learningRateScale(parameter.getValue()));
        }
        Freezing freezing = new Freezing(block);
        BestWeights best = BestWeights.NONE;
        if (resumed == null) {
          network.initialize(block, trainingSet, split.train());
          if (start instanceof Start.FromArtifact artifact) {
            startFrom(artifact.artifact(), block, network, classes, freezing);
          }
        } else {
          resumed.restore(block, optimizer);
          history.addAll(resumed.meta().history());
          best = resumed.best();
        }
        average = average(block, batches, data, resumed);
        TrainingHook hooks = hooks(block, network, freezing, optimizer, best, average, runKey);
        NDArray pixels = ImageTensors.upload(data, trainingSet.pixels(), trainingSet.size());
        // without augmentation a batch is one gather from images normalised once
        ImageBatches images =
            augmentation.isEmpty()
                ? ImageBatches.normalizedOnce(tensors, pixels)
                : ImageBatches.normalizedPerBatch(tensors, pixels);
        NDArray labels = data.create(toLongs(trainingSet.labels()));
        for (int epoch = history.size() + 1; epoch <= config.epochs(); epoch++) {
          hooks.beforeEpoch(epoch);
          EpochMetrics metrics =
              epoch(trainer, optimizer, tensors, images, labels, split, epoch, hooks, data);
          history.add(metrics);
          if (hooks.afterEpoch(metrics, history)) {
            break;
          }
        }
        hooks.afterTraining(history);
        // the final figures in float32, as the artifact is served
        PrecisionConv2d.use(block, null);
        MaxPool2d.use(block, null);
        dev = evaluate(trainer, images, labels, split.dev(), classes, config.tta(), data);
        test =
            testSet == null || testSet.size() == 0 ? null : test(trainer, tensors, data, classes);
      } finally {
        if (average != null) {
          average.close();
        }
      }
      byte[] parameters = saveParameters(block);
      return new TrainingResult(
          config,
          network.version(),
          network.normalization(),
          classes,
          List.copyOf(history),
          split.dev().length == 0 ? null : dev,
          test,
          parameters,
          hardware,
          (System.nanoTime() - startNanos) / 1e9);
    }
  }

  private StatefulOptimizer optimizer(int batches, Device device) {
    Optimizer optimizer = config.optimizer();
    Schedule plan = config.schedule();
    LearningRateSchedule schedule =
        new LearningRateSchedule(
            optimizer.learningRate(),
            plan.shape(),
            Math.round(config.warmupEpochs() * batches),
            config.epochs() * batches,
            plan.warmupFrom(),
            plan.decayTo());
    return optimizer instanceof Optimizer.Sgd sgd
        ? new StatefulOptimizer.NesterovSgd(schedule, sgd.momentum(), sgd.weightDecay(), device)
        : new StatefulOptimizer.Adam(schedule, optimizer.weightDecay(), device);
  }

  /** The training objective; dev and test are measured in plain cross-entropy whatever it is. */
  private Loss loss() {
    return config.labelSmoothing() > 0
        ? new SmoothedCrossEntropy(config.labelSmoothing())
        : Loss.softmaxCrossEntropyLoss();
  }

  /**
   * The run's weight average, continued from the checkpoint on resume; {@code null} without one.
   */
  private WeightAverage average(
      Block block, int batches, NDManager data, Checkpoint.Loaded resumed) {
    WeightAverage average;
    if (config.averaging() instanceof Averaging.Ema ema) {
      average = WeightAverage.exponential(block, ema.decay(), data);
    } else if (config.averaging() instanceof Averaging.Lookahead) {
      average = WeightAverage.lookahead(block, config.epochs() * batches, data);
    } else {
      return null;
    }
    if (resumed != null && resumed.average() != null) {
      average.load(resumed.average());
    }
    return average;
  }

  private Evaluation test(
      Trainer trainer, ImageTensors tensors, NDManager data, List<String> classes) {
    try (NDManager testData = data.newSubManager()) {
      ImageBatches images =
          ImageBatches.normalizedPerBatch(
              tensors, ImageTensors.upload(testData, testSet.pixels(), testSet.size()));
      NDArray labels = testData.create(toLongs(testSet.labels()));
      return evaluate(
          trainer, images, labels, identity(testSet.size()), classes, config.tta(), testData);
    }
  }

  /**
   * The run's side concerns, in the order they run: epoch changes, the divergence check, the weight
   * average, best weights, checkpoints, progress, early stopping.
   */
  private TrainingHook hooks(
      Block block,
      Network network,
      Freezing freezing,
      StatefulOptimizer optimizer,
      BestWeights best,
      WeightAverage average,
      String runKey) {
    List<TrainingHook> hooks = new ArrayList<>();
    hooks.add(new EpochChanges(freezing, config.start().freezeEpochs(), network, block));
    hooks.add(new DivergenceCheck(config.optimizer().learningRate(), checkpoints));
    if (average != null) {
      hooks.add(new WeightAveraging(average));
    }
    BestWeightsTracker tracker =
        new BestWeightsTracker(block, average, config.keepBest(), best, listener);
    hooks.add(tracker);
    if (checkpoints != null) {
      hooks.add(new CheckpointWriter(checkpoints, runKey, block, optimizer, tracker, average));
    }
    hooks.add(new ProgressHook(listener));
    hooks.add(new EarlyStopping(config.patience(), tracker, listener));
    return new TrainingHook.All(hooks);
  }

  private void startFrom(
      Pretrained pretrained,
      Block block,
      Network network,
      List<String> classes,
      Freezing freezing) {
    boolean sameClasses = pretrained.classes().equals(classes);
    Block source = network.build(pretrained.classes().size());
    var to = block.getParameters();
    try (NDManager manager = to.get(0).getValue().getArray().getManager().newSubManager()) {
      source.loadParameters(
          manager, new DataInputStream(new ByteArrayInputStream(pretrained.parameters())));
      var from = source.getParameters();
      for (int i = 0; i < to.size(); i++) {
        Parameter target = to.get(i).getValue();
        if (sameClasses || !freezing.isHead(target)) {
          NDArray value = from.get(i).getValue().getArray();
          if (!value.getShape().equals(target.getArray().getShape())) {
            throw new ConfigurationException(
                "The pretrained artifact "
                    + pretrained.source()
                    + " does not fit network '"
                    + network.name()
                    + "': parameter "
                    + to.get(i).getKey()
                    + " has shape "
                    + value.getShape()
                    + ", not "
                    + target.getArray().getShape());
          }
          value.copyTo(target.getArray());
        }
      }
    } catch (IOException | ai.djl.MalformedModelException e) {
      throw new ConfigurationException(
          "Cannot start from the pretrained artifact "
              + pretrained.source()
              + ": "
              + e.getMessage());
    }
    listener.onInfo(
        sameClasses
            ? "Starting from the weights of " + pretrained.source() + " (same network and classes)"
            : "Starting from "
                + pretrained.source()
                + ": its classes "
                + pretrained.classes()
                + " are not the"
                + " data's, so a new classifier head learns them"
                + (config.start().freezeEpochs() > 0
                    ? " alone for " + config.start().freezeEpochs() + " epochs (cifar.freezeEpochs)"
                    : ""));
  }

  private Checkpoint.Loaded resumeFrom(String runKey, Block block, NDManager manager) {
    if (checkpoints == null) {
      return null;
    }
    Checkpoint.Meta existing = Checkpoint.peek(checkpoints);
    Path file = Checkpoint.file(checkpoints);
    if (!resume) {
      if (existing != null) {
        listener.onInfo(
            "Training from the start; the checkpoint of epoch "
                + existing.epoch()
                + " in "
                + file
                + " is replaced (resume from it with cifar.resume)");
      }
      return null;
    }
    if (existing == null) {
      listener.onInfo("No checkpoint in " + checkpoints + ": training from the start");
      return null;
    }
    if (!existing.runKey().equals(runKey)) {
      throw new ConfigurationException(
          "The checkpoint "
              + file
              + " belongs to a run with other data or settings"
              + " (anything but cifar.epochs and cifar.warmupEpochs, the length of the plan); delete it, or train without cifar.resume");
    }
    if (existing.epoch() > config.epochs()) {
      throw new ConfigurationException(
          "The checkpoint "
              + file
              + " is at epoch "
              + existing.epoch()
              + ", beyond cifar.epochs="
              + config.epochs());
    }
    try {
      Checkpoint.Loaded loaded = Checkpoint.load(checkpoints, block, manager);
      listener.onInfo(
          "Resuming from " + file + " after epoch " + existing.epoch() + " of " + config.epochs());
      return loaded;
    } catch (IOException e) {
      throw new ConfigurationException("Cannot resume from " + file + ": " + e.getMessage());
    }
  }

  /** Opens oneDNN's max pooling for the CPU, or says in one line why the run pools with ATen's. */
  private OneDnnMaxPool oneDnnMaxPool() {
    try {
      return OneDnnMaxPool.load();
    } catch (IllegalStateException e) {
      listener.onWarning(e.getMessage() + "; max pooling runs in ATen's kernel");
      return null;
    }
  }

  private EpochMetrics epoch(
      Trainer trainer,
      StatefulOptimizer optimizer,
      ImageTensors tensors,
      ImageBatches images,
      NDArray labels,
      Split split,
      int epoch,
      TrainingHook hooks,
      NDManager data) {
    long t0 = System.nanoTime();
    long[] order = toLongs(split.train(), new Random(config.seed() * 1_000_003L + epoch));
    int n = order.length;
    int batches = (n + config.batchSize() - 1) / config.batchSize();
    double lossSum = 0;
    long correct = 0;
    try (NDManager epochManager = data.newSubManager()) {
      NDArray correctTotal = epochManager.zeros(new Shape(), DataType.INT64);
      for (int b = 0; b < batches; b++) {
        int from = b * config.batchSize();
        int to = Math.min(n, from + config.batchSize());
        try (NDManager step = epochManager.newSubManager()) {
          long[] batchImages = java.util.Arrays.copyOfRange(order, from, to);
          NDArray index = step.create(batchImages);
          NDArray x;
          if (augmentation.isEmpty()) {
            x = images.inputs(step, index);
          } else {
            Random random = new Random(config.seed() * 7_919L + epoch * 100_003L + b);
            x =
                augmentation.cutout(
                    tensors.normalize(
                        augmentation.geometric(
                            images.pixels(step, index), batchImages, epoch, random, step)),
                    random,
                    step);
          }
          x = layout.apply(x);
          NDArray y = labels.get(step, new NDIndex("{}", index));
          try (GradientCollector collector = trainer.newGradientCollector()) {
            NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
            NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
            float value = loss.getFloat();
            hooks.afterForward(epoch, b + 1, batches, value);
            collector.backward(loss);
            lossSum += (double) value * (to - from);
            correctTotal.addi(logits.argMax(1).eq(y).sum());
          }
          optimizer.step(trainer.getModel().getBlock());
        }
        hooks.afterStep(epoch, b + 1, batches, (epoch - 1) * batches + b + 1);
      }
      correct = correctTotal.getLong();
    }
    double trainSeconds = (System.nanoTime() - t0) / 1e9;
    double devLoss = Double.NaN;
    double devAccuracy = Double.NaN;
    if (split.dev().length > 0) {
      hooks.beforeMeasure();
      try {
        Evaluation dev =
            evaluate(
                trainer,
                images,
                labels,
                split.dev(),
                trainingSet.classes(),
                config.tta() == TestTimeAugmentation.FLIP_TRANSLATE
                    ? TestTimeAugmentation.FLIP
                    : config.tta(),
                data);
        devLoss = dev.loss();
        devAccuracy = dev.accuracy();
      } finally {
        hooks.afterMeasure();
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new EpochMetrics(
        epoch,
        config.epochs(),
        lossSum / n,
        (double) correct / n,
        devLoss,
        devAccuracy,
        n / trainSeconds,
        seconds);
  }

  /**
   * Measures with the project's one {@link Evaluator}: plain cross-entropy, as the classifier
   * reports it.
   */
  private Evaluation evaluate(
      Trainer trainer,
      ImageBatches images,
      NDArray labels,
      int[] indices,
      List<String> classes,
      TestTimeAugmentation tta,
      NDManager data) {
    Evaluator evaluator = new Evaluator(classes, indices.length);
    for (int from = 0; from < indices.length; from += EVAL_BATCH) {
      int to = Math.min(indices.length, from + EVAL_BATCH);
      try (NDManager step = data.newSubManager()) {
        long[] idx = new long[to - from];
        for (int i = from; i < to; i++) {
          idx[i - from] = indices[i];
        }
        NDArray index = step.create(idx);
        NDArray x = tta.expand(images.inputs(step, index));
        x = layout.apply(x);
        NDArray logits = tta.combine(trainer.evaluate(new NDList(x)).singletonOrThrow());
        evaluator.addAll(
            labels.get(step, new NDIndex("{}", index)).toLongArray(),
            logits.softmax(1).toFloatArray());
      }
    }
    return evaluator.result();
  }

  private static byte[] saveParameters(Block block) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      block.saveParameters(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Labels as the int64 tensor values the loss takes. */
  static long[] toLongs(byte[] labels) {
    long[] out = new long[labels.length];
    for (int i = 0; i < labels.length; i++) {
      out[i] = labels[i] & 0xFF;
    }
    return out;
  }

  private static long[] toLongs(int[] indices, Random shuffle) {
    int[] perm = Split.permutation(indices.length, shuffle);
    long[] out = new long[indices.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = indices[perm[i]];
    }
    return out;
  }

  /** {@code 0..n-1}. */
  static int[] identity(int n) {
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = i;
    }
    return out;
  }

  /** Builds a {@link Training}. */
  public static final class Builder {
    private TrainingConfig config;
    private LabeledImages trainingSet;
    private LabeledImages testSet;
    private ProgressListener listener = new ProgressListener() {};
    private Path checkpoints;
    private boolean resume;

    private Builder() {}

    /**
     * Sets the configuration.
     *
     * @param config the run's configuration
     * @return this builder
     */
    public Builder setConfig(TrainingConfig config) {
      this.config = config;
      return this;
    }

    /**
     * Sets the images to split into train and dev.
     *
     * @param trainingSet the training images
     * @return this builder
     */
    public Builder setTrainingSet(LabeledImages trainingSet) {
      this.trainingSet = trainingSet;
      return this;
    }

    /**
     * Sets the test images, evaluated once after training.
     *
     * @param testSet the test images
     * @return this builder
     */
    public Builder optTestSet(LabeledImages testSet) {
      this.testSet = testSet;
      return this;
    }

    /**
     * Sets where progress goes.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder optListener(ProgressListener listener) {
      this.listener = Objects.requireNonNull(listener);
      return this;
    }

    /**
     * Writes a checkpoint into a directory after every epoch ({@value Checkpoint#FILE}, replaced
     * atomically), so that a killed run can resume.
     *
     * @param dir the checkpoint directory, e.g. {@code target/cifar/checkpoints}
     * @return this builder
     */
    public Builder optCheckpoints(Path dir) {
      this.checkpoints = dir;
      return this;
    }

    /**
     * Continues from the checkpoint in the checkpoint directory, when there is one of the same data
     * and settings (the epoch count may differ: a finished run can be trained further), instead of
     * starting over.
     *
     * @param resume whether to resume
     * @return this builder
     */
    public Builder optResume(boolean resume) {
      this.resume = resume;
      return this;
    }

    /**
     * Builds the run.
     *
     * @return the run, not yet started
     */
    public Training build() {
      return new Training(this);
    }
  }
}
