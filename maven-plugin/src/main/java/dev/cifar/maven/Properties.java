package dev.cifar.maven;

/** The user properties of the goals, one constant each, so that code and docs agree. */
final class Properties {

  static final String DATA = "cifar.data";
  static final String CACHE = "cifar.cache";
  static final String EPOCHS = "cifar.epochs";
  static final String BATCH_SIZE = "cifar.batchSize";
  static final String LEARNING_RATE = "cifar.learningRate";
  static final String NETWORK = "cifar.network";
  static final String SEED = "cifar.seed";
  static final String DEVICE = "cifar.device";
  static final String DEV_SIZE = "cifar.devSize";
  static final String TRAIN_SIZE = "cifar.trainSize";
  static final String OUTPUT = "cifar.output";
  static final String SKIP = "cifar.skip";
  static final String FORCE = "cifar.force";
  static final String OPTIMIZER = "cifar.optimizer";
  static final String MOMENTUM = "cifar.momentum";
  static final String WEIGHT_DECAY = "cifar.weightDecay";
  static final String SCHEDULE = "cifar.schedule";
  static final String WARMUP_EPOCHS = "cifar.warmupEpochs";
  static final String WARMUP_FROM = "cifar.warmupFrom";
  static final String DECAY_TO = "cifar.decayTo";
  static final String LABEL_SMOOTHING = "cifar.labelSmoothing";
  static final String AUGMENT = "cifar.augment";
  static final String PATIENCE = "cifar.patience";
  static final String KEEP_BEST = "cifar.keepBest";
  static final String TTA = "cifar.tta";
  static final String EMA = "cifar.ema";
  static final String LOOKAHEAD = "cifar.lookahead";
  static final String PRECISION = "cifar.precision";
  static final String PRETRAINED = "cifar.pretrained";
  static final String FREEZE_EPOCHS = "cifar.freezeEpochs";
  static final String INPUT_SIZE = "cifar.inputSize";
  static final String MEAN = "cifar.mean";
  static final String STD = "cifar.std";
  static final String RESUME = "cifar.resume";
  static final String CHECKPOINTS = "cifar.checkpoints";
  static final String REPORT = "cifar.report";
  static final String ATTACH = "cifar.attach";
  static final String MODEL = "cifar.model";
  static final String EVALUATION_FILE = "cifar.evaluationFile";
  static final String MIN_ACCURACY = "cifar.minAccuracy";
  static final String MIN_CLASS_ACCURACY = "cifar.minClassAccuracy";

  private Properties() {}
}
