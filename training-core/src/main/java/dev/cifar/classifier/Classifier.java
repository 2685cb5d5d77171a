package dev.cifar.classifier;

import dev.cifar.data.ImageConversion;
import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import dev.cifar.CifarException;
import dev.cifar.ConfigurationException;
import dev.cifar.artifact.ModelArtifact;
import dev.cifar.artifact.ModelMetadata;
import dev.cifar.data.LabeledImages;
import dev.cifar.engine.DeviceChoice;
import dev.cifar.engine.Engines;
import dev.cifar.evaluation.Evaluation;
import dev.cifar.network.ImageTensors;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.time.Duration;

/**
 * Classifies images with a model artifact. Safe to call from many threads at once: DJL's
 * {@link Predictor} is not thread-safe, so the classifier keeps a pool of them and each call
 * borrows one for its forward pass; up to the pool size run in parallel. Close it to free the
 * model and every predictor.
 */
public final class Classifier implements AutoCloseable {

    private static final int EVALUATION_BATCH = 500;

    private final ModelArtifact artifact;
    private final Model model;
    private final ImageTensors tensors;
    private final BlockingQueue<Predictor<byte[][], float[][]>> pool;
    private final List<Predictor<byte[][], float[][]>> predictors = new ArrayList<>();
    private final Device device;
    private final Duration waitTimeout;

    private Classifier(Builder b) {
        this.waitTimeout = b.waitTimeout;
        this.artifact = Objects.requireNonNull(b.artifact, "artifact");
        this.device = Engines.select(b.device);
        this.model = artifact.newModel(device);
        try {
            this.tensors = new ImageTensors(model.getNDManager(), artifact.metadata().normalization());
            ProbabilityTranslator translator = new ProbabilityTranslator(tensors);
            this.pool = new ArrayBlockingQueue<>(b.poolSize);
            for (int i = 0; i < b.poolSize; i++) {
                Predictor<byte[][], float[][]> predictor = model.newPredictor(translator, device);
                predictors.add(predictor);
                pool.add(predictor);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
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
     * Returns what the classifier serves.
     *
     * @return the artifact's metadata
     */
    public ModelMetadata metadata() {
        return artifact.metadata();
    }

    /**
     * Returns the artifact's parameter checksum.
     *
     * @return SHA-256, lower-case hex
     */
    public String checksum() {
        return artifact.checksum();
    }

    /**
     * Returns the class names.
     *
     * @return the names, indexed by class
     */
    public List<String> classes() {
        return artifact.metadata().classes();
    }

    /**
     * Returns the device the model runs on.
     *
     * @return the device
     */
    public Device device() {
        return device;
    }

    /**
     * Returns class probabilities for a batch of images, in one forward pass.
     *
     * @param images each 3072 bytes in CIFAR order
     * @return one probability vector per image
     * @throws IllegalArgumentException when an image is not 3072 bytes
     * @throws ClassifierBusyException when no predictor becomes free within the wait timeout
     */
    public float[][] probabilities(List<byte[]> images) {
        byte[][] batch = new byte[images.size()][];
        for (int i = 0; i < batch.length; i++) {
            byte[] image = images.get(i);
            if (image == null || image.length != LabeledImages.IMAGE_BYTES) {
                throw new IllegalArgumentException("image " + i + " has " + (image == null ? 0 : image.length)
                        + " bytes; a CIFAR image has " + LabeledImages.IMAGE_BYTES + " (3 x 32 x 32)");
            }
            batch[i] = image;
        }
        if (batch.length == 0) {
            return new float[0][];
        }
        Predictor<byte[][], float[][]> predictor;
        try {
            predictor = pool.poll(waitTimeout.toNanos(), TimeUnit.NANOSECONDS);
            if (predictor == null) {
                throw new ClassifierBusyException("no predictor became free within " + waitTimeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CifarException("Interrupted while waiting for a predictor", e);
        }
        try {
            return predictor.predict(batch);
        } catch (TranslateException e) {
            throw new CifarException("Forward pass failed: " + e.getMessage(), e);
        } finally {
            pool.add(predictor);
        }
    }

    /**
     * Classifies a batch of images in one forward pass.
     *
     * @param images each 3072 bytes in CIFAR order
     * @param topK how many classes to list per image, 1 to the number of classes
     * @return one prediction per image, in order
     */
    public List<Prediction> classify(List<byte[]> images, int topK) {
        checkTopK(topK);
        float[][] probabilities = probabilities(images);
        List<Prediction> out = new ArrayList<>(probabilities.length);
        for (float[] p : probabilities) {
            out.add(Prediction.of(p, classes(), topK));
        }
        return out;
    }

    /**
     * Classifies one image.
     *
     * @param image 3072 bytes in CIFAR order
     * @param topK how many classes to list
     * @return the prediction
     */
    public Prediction classify(byte[] image, int topK) {
        return classify(List.of(image), topK).get(0);
    }

    /**
     * Classifies one image of any size, resized to 32x32.
     *
     * @param image the image
     * @param topK how many classes to list
     * @return the prediction
     */
    public Prediction classify(BufferedImage image, int topK) {
        return classify(ImageConversion.toCifarBytes(image), topK);
    }

    /**
     * Evaluates the model on a set of images: accuracy, per-class accuracy, mean
     * cross-entropy and the confusion matrix.
     *
     * @param images labelled images with this model's classes
     * @return the evaluation
     * @throws IllegalArgumentException when the images have other classes
     */
    public Evaluation evaluate(LabeledImages images) {
        if (!images.classes().equals(classes())) {
            throw new IllegalArgumentException("the images' classes " + images.classes() + " are not the model's "
                    + classes());
        }
        int n = images.size();
        int[] truth = new int[n];
        int[] predicted = new int[n];
        double lossSum = 0;
        for (int from = 0; from < n; from += EVALUATION_BATCH) {
            List<byte[]> batch = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + EVALUATION_BATCH); i++) {
                batch.add(images.image(i));
            }
            float[][] p = probabilities(batch);
            for (int i = 0; i < p.length; i++) {
                int best = 0;
                for (int c = 1; c < p[i].length; c++) {
                    best = p[i][c] > p[i][best] ? c : best;
                }
                truth[from + i] = images.label(from + i);
                predicted[from + i] = best;
                lossSum -= Math.log(Math.max(p[i][truth[from + i]], 1e-12f));
            }
        }
        return Evaluation.of(truth, predicted, lossSum, classes());
    }

    private void checkTopK(int topK) {
        if (topK < 1 || topK > classes().size()) {
            throw new IllegalArgumentException("top must be between 1 and " + classes().size() + ", not " + topK);
        }
    }

    @Override
    public void close() {
        predictors.forEach(Predictor::close);
        if (tensors != null) {
            tensors.close();
        }
        if (model != null) {
            model.close();
        }
    }

    /** Builds a {@link Classifier}. */
    public static final class Builder {
        private ModelArtifact artifact;
        private DeviceChoice device = DeviceChoice.AUTO;
        private int poolSize = Math.max(1, Runtime.getRuntime().availableProcessors());
        private Duration waitTimeout = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * Sets the artifact to serve.
         *
         * @param artifact a validated artifact, e.g. from {@link ModelArtifact#read}
         * @return this builder
         */
        public Builder setArtifact(ModelArtifact artifact) {
            this.artifact = artifact;
            return this;
        }

        /**
         * Chooses the device.
         *
         * @param device auto, cpu or gpu
         * @return this builder
         */
        public Builder optDevice(DeviceChoice device) {
            this.device = Objects.requireNonNull(device);
            return this;
        }

        /**
         * Sets how many forward passes may run at once.
         *
         * @param poolSize at least 1; defaults to the number of cores
         * @return this builder
         */
        public Builder optPoolSize(int poolSize) {
            if (poolSize < 1) {
                throw new ConfigurationException("predictor pool size must be at least 1, not " + poolSize);
            }
            this.poolSize = poolSize;
            return this;
        }

        /**
         * Sets how long a call waits for a free predictor before it gives up with a
         * {@link ClassifierBusyException}.
         *
         * @param waitTimeout positive; defaults to 30 seconds
         * @return this builder
         */
        public Builder optWaitTimeout(Duration waitTimeout) {
            if (waitTimeout.isNegative() || waitTimeout.isZero()) {
                throw new ConfigurationException("the classifier's wait timeout must be positive, not " + waitTimeout);
            }
            this.waitTimeout = waitTimeout;
            return this;
        }

        /**
         * Loads the model and creates the predictors.
         *
         * @return the classifier
         * @throws dev.cifar.artifact.ArtifactException when the parameters do not fit the network
         */
        public Classifier build() {
            return new Classifier(this);
        }
    }
}
