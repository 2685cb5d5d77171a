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

    private Properties() {
    }
}
