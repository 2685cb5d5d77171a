package dev.cifar.maven;

import dev.cifar.training.TrainingOptions;

/**
 * The user properties of the goals, one constant each, so that code and docs agree; the training
 * options' names are training-core's ({@link TrainingOptions}), which parses them.
 */
final class Properties {

  static final String DATA = "cifar.data";
  static final String CACHE = "cifar.cache";
  static final String EPOCHS = TrainingOptions.EPOCHS;
  static final String BATCH_SIZE = TrainingOptions.BATCH_SIZE;
  static final String LEARNING_RATE = TrainingOptions.LEARNING_RATE;
  static final String NETWORK = TrainingOptions.NETWORK;
  static final String SEED = TrainingOptions.SEED;
  static final String DEVICE = TrainingOptions.DEVICE;
  static final String DEV_SIZE = TrainingOptions.DEV_SIZE;
  static final String TRAIN_SIZE = TrainingOptions.TRAIN_SIZE;
  static final String OUTPUT = "cifar.output";
  static final String SKIP = "cifar.skip";
  static final String FORCE = "cifar.force";
  static final String FORK = "cifar.fork";
  static final String OPTIMIZER = TrainingOptions.OPTIMIZER;
  static final String MOMENTUM = TrainingOptions.MOMENTUM;
  static final String WEIGHT_DECAY = TrainingOptions.WEIGHT_DECAY;
  static final String SCHEDULE = TrainingOptions.SCHEDULE;
  static final String WARMUP_EPOCHS = TrainingOptions.WARMUP_EPOCHS;
  static final String WARMUP_FROM = TrainingOptions.WARMUP_FROM;
  static final String DECAY_TO = TrainingOptions.DECAY_TO;
  static final String LABEL_SMOOTHING = TrainingOptions.LABEL_SMOOTHING;
  static final String AUGMENT = TrainingOptions.AUGMENT;
  static final String PATIENCE = TrainingOptions.PATIENCE;
  static final String KEEP_BEST = TrainingOptions.KEEP_BEST;
  static final String TTA = TrainingOptions.TTA;
  static final String EMA = TrainingOptions.EMA;
  static final String LOOKAHEAD = TrainingOptions.LOOKAHEAD;
  static final String PRECISION = TrainingOptions.PRECISION;
  static final String PRETRAINED = TrainingOptions.PRETRAINED;
  static final String FREEZE_EPOCHS = TrainingOptions.FREEZE_EPOCHS;
  static final String INPUT_SIZE = TrainingOptions.INPUT_SIZE;
  static final String MEAN = TrainingOptions.MEAN;
  static final String STD = TrainingOptions.STD;
  static final String RESUME = "cifar.resume";
  static final String CHECKPOINTS = "cifar.checkpoints";
  static final String REPORT = "cifar.report";
  static final String ATTACH = "cifar.attach";
  static final String MODEL = "cifar.model";
  static final String EXPORT = "cifar.export";
  static final String EXPORT_OUTPUT = "cifar.exportOutput";
  static final String EVALUATION_FILE = "cifar.evaluationFile";
  static final String MIN_ACCURACY = "cifar.minAccuracy";
  static final String MIN_CLASS_ACCURACY = "cifar.minClassAccuracy";

  private Properties() {}
}
