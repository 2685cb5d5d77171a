package dev.cifar.classifier;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import dev.cifar.ConfigurationException;
import dev.cifar.artifact.ModelArtifact;
import dev.cifar.artifact.ModelMetadata;
import dev.cifar.data.ImageConversion;
import dev.cifar.data.LabeledImages;
import dev.cifar.engine.ConvolutionLayouts;
import dev.cifar.engine.DeviceChoice;
import dev.cifar.engine.Engines;
import dev.cifar.engine.MemoryLayout;
import dev.cifar.engine.OneDnnCaches;
import dev.cifar.evaluation.Evaluation;
import dev.cifar.evaluation.Evaluator;
import dev.cifar.network.ImageTensors;
import java.awt.image.BufferedImage;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Classifies images with a model artifact. Safe to call from many threads at once: the classifier
 * keeps a pool of lanes and each forward pass borrows one; up to the pool size run in parallel. On
 * PyTorch (the default) a lane is a DJL {@link Predictor}, which is not thread-safe, over the
 * network in a convolution layout measured correct on this CPU; on ONNX Runtime ({@link
 * Builder#optEngine}) every lane runs the artifact's ONNX model ({@code model.onnx}) in one shared
 * session, on the CPU. Both give the same probabilities within 1e-5.
 *
 * <p>Single images (the {@code classify} methods for one image) are <em>coalesced</em>: images that
 * arrive while every predictor is busy wait in a queue and go together, up to {@link
 * Builder#optMaxBatch max batch} at a time, through one forward pass, so that under load the model
 * runs few large batches instead of many single images. An image that arrives while a predictor is
 * free runs at once, in the caller's thread, with no added delay (unless {@link
 * Builder#optMaxDelay} asks for one). {@link #batchStatistics()} shows how much was coalesced. A
 * failed batch is run again image by image, so an error reaches only the call whose image caused
 * it.
 *
 * <p>Close it to free the model and every predictor: calls still queued then fail with a {@link
 * ClassifierClosedException}, and so does every later call.
 */
public final class Classifier implements AutoCloseable {

  private static final int EVALUATION_BATCH = 500;

  private final ModelArtifact artifact;
  private final ServingEngine engine;
  private final Model model;
  private final ImageTensors tensors;
  private final OnnxRuntimeSession session;
  private final List<ForwardPass> lanes = new ArrayList<>();
  private final Coalescer<ForwardPass, byte[], float[]> coalescer;
  private final Device device;
  private final Duration waitTimeout;
  private boolean closed;

  private Classifier(Builder b) {
    this.waitTimeout = b.waitTimeout;
    this.artifact = Objects.requireNonNull(b.artifact, "artifact");
    this.engine =
        EngineSelection.resolve(b.engine, b.device, new Present(artifact), Classifier::warn);
    if (engine == ServingEngine.ONNXRUNTIME) {
      this.device = Device.cpu();
      this.model = null;
      this.tensors = null;
      this.session =
          new OnnxRuntimeSession(artifact.onnx().orElseThrow(), Math.max(1, cores() / b.poolSize));
      for (int i = 0; i < b.poolSize; i++) {
        lanes.add(session.lane());
      }
    } else {
      this.device = Engines.select(b.device);
      OneDnnCaches.report(Classifier::inform, Classifier::warn);
      this.model = artifact.newModel(device);
      this.session = null;
      ImageTensors t = null;
      try {
        t = new ImageTensors(model.getNDManager(), artifact.metadata().serving().normalization());
        ProbabilityTranslator translator =
            new ProbabilityTranslator(
                t,
                ConvolutionLayouts.choose(
                    MemoryLayout.NCHW, model.getBlock(), device, false, Classifier::warn));
        for (int i = 0; i < b.poolSize; i++) {
          lanes.add(new PyTorchForwardPass(model.newPredictor(translator, device)));
        }
      } catch (RuntimeException e) {
        lanes.forEach(ForwardPass::close);
        if (t != null) {
          t.close();
        }
        model.close();
        throw e;
      }
      this.tensors = t;
    }
    this.coalescer =
        new Coalescer<>(
            lanes,
            (lane, images) -> Arrays.asList(lane.probabilities(images.toArray(new byte[0][]))),
            b.maxBatch,
            b.maxDelay,
            waitTimeout);
  }

  private static void warn(String line) {
    System.getLogger(Classifier.class.getName()).log(Level.WARNING, line);
  }

  private static void inform(String line) {
    System.getLogger(Classifier.class.getName()).log(Level.INFO, line);
  }

  private static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }

  /** What this process has, for {@link EngineSelection}. */
  private record Present(ModelArtifact artifact) implements EngineSelection.Facts {
    @Override
    public boolean artifactHasOnnx() {
      return artifact.onnx().isPresent();
    }

    @Override
    public boolean onnxRuntimePresent() {
      return onClassPath("ai.onnxruntime.OrtEnvironment");
    }

    @Override
    public boolean pytorchPresent() {
      return onClassPath("ai.djl.pytorch.engine.PtEngine");
    }

    @Override
    public boolean gpuVisible() {
      return Engines.gpuVisible();
    }

    private static boolean onClassPath(String name) {
      try {
        Class.forName(name, false, Classifier.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
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
    return artifact.metadata().serving().classes();
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
   * Returns the runtime the forward passes run on.
   *
   * @return PyTorch or ONNX Runtime
   */
  public ServingEngine engine() {
    return engine;
  }

  /**
   * Returns class probabilities for a batch of images, in one forward pass.
   *
   * @param images each 3072 bytes in CIFAR order
   * @return one probability vector per image
   * @throws IllegalArgumentException when an image is not 3072 bytes
   * @throws ClassifierBusyException when no predictor becomes free within the wait timeout
   * @throws ClassifierClosedException when the classifier is closed
   */
  public float[][] probabilities(List<byte[]> images) {
    byte[][] batch = new byte[images.size()][];
    for (int i = 0; i < batch.length; i++) {
      batch[i] = checked(images.get(i), i);
    }
    if (batch.length == 0) {
      return new float[0][];
    }
    ForwardPass lane = coalescer.borrow();
    try {
      return lane.probabilities(batch);
    } finally {
      coalescer.release(lane);
    }
  }

  /**
   * Returns class probabilities for one image; concurrent calls are coalesced into shared forward
   * passes (see the class description).
   *
   * @param image 3072 bytes in CIFAR order
   * @return the probability of each class
   * @throws IllegalArgumentException when the image is not 3072 bytes
   * @throws ClassifierBusyException when no forward pass takes the image within the wait timeout
   * @throws ClassifierClosedException when the classifier is closed before the image ran
   */
  public float[] probabilities(byte[] image) {
    return coalescer.submit(checked(image, 0));
  }

  /**
   * Returns how many single images were coalesced into how many forward passes so far.
   *
   * @return the counts
   */
  public BatchStatistics batchStatistics() {
    return coalescer.statistics();
  }

  /** The coalescer, for tests in this package that hold a lane to queue images behind it. */
  Coalescer<ForwardPass, byte[], float[]> coalescer() {
    return coalescer;
  }

  private static byte[] checked(byte[] image, int index) {
    if (image == null || image.length != LabeledImages.IMAGE_BYTES) {
      throw new IllegalArgumentException(
          "image "
              + index
              + " has "
              + (image == null ? 0 : image.length)
              + " bytes; a CIFAR image has "
              + LabeledImages.IMAGE_BYTES
              + " (3 x 32 x 32)");
    }
    return image;
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
   * Classifies one image; concurrent calls are coalesced into shared forward passes.
   *
   * @param image 3072 bytes in CIFAR order
   * @param topK how many classes to list
   * @return the prediction
   * @throws ClassifierBusyException when no forward pass takes the image within the wait timeout
   * @throws ClassifierClosedException when the classifier is closed before the image ran
   */
  public Prediction classify(byte[] image, int topK) {
    checkTopK(topK);
    return Prediction.of(probabilities(image), classes(), topK);
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
   * Evaluates the model on a set of images with the project's one {@link Evaluator}: accuracy,
   * per-class accuracy, mean cross-entropy and the confusion matrix.
   *
   * @param images labelled images with this model's classes
   * @return the evaluation
   * @throws IllegalArgumentException when the images have other classes
   */
  public Evaluation evaluate(LabeledImages images) {
    if (!images.classes().equals(classes())) {
      throw new IllegalArgumentException(
          "the images' classes " + images.classes() + " are not the model's " + classes());
    }
    int n = images.size();
    Evaluator evaluator = new Evaluator(classes(), n);
    for (int from = 0; from < n; from += EVALUATION_BATCH) {
      List<byte[]> batch = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + EVALUATION_BATCH); i++) {
        batch.add(images.image(i));
      }
      float[][] p = probabilities(batch);
      for (int i = 0; i < p.length; i++) {
        evaluator.add(images.label(from + i), p[i]);
      }
    }
    return evaluator.result();
  }

  private void checkTopK(int topK) {
    if (topK < 1 || topK > classes().size()) {
      throw new IllegalArgumentException(
          "top must be between 1 and " + classes().size() + ", not " + topK);
    }
  }

  /**
   * Refuses new calls, fails the queued ones with a {@link ClassifierClosedException}, waits (up to
   * the wait timeout) for forward passes still running, and frees every predictor, the
   * normalisation constants and the model. Closing twice does nothing.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    coalescer.close();
    coalescer.drainResources(waitTimeout);
    lanes.forEach(ForwardPass::close);
    if (tensors != null) {
      tensors.close();
    }
    if (model != null) {
      model.close();
    }
    if (session != null) {
      session.close();
    }
  }

  /** Builds a {@link Classifier}. */
  public static final class Builder {
    private ModelArtifact artifact;
    private DeviceChoice device = DeviceChoice.AUTO;
    private int poolSize = Math.max(1, Runtime.getRuntime().availableProcessors());
    private Duration waitTimeout = Duration.ofSeconds(30);
    private int maxBatch = 64;
    private Duration maxDelay = Duration.ZERO;
    private ServingEngine engine = ServingEngine.PYTORCH;

    private Builder() {}

    /**
     * Chooses the runtime of the forward passes.
     *
     * @param engine PyTorch (the default), ONNX Runtime, which needs the artifact's ONNX model and
     *     runs on the CPU, or {@link ServingEngine#AUTO} (ONNX Runtime on the CPU when it can,
     *     PyTorch on a GPU); {@link Classifier#engine()} tells which one runs
     * @return this builder
     */
    public Builder optEngine(ServingEngine engine) {
      this.engine = Objects.requireNonNull(engine);
      return this;
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
     * Sets how long a call waits for a free predictor (a single image: for a forward pass to take
     * it from the queue) before it gives up with a {@link ClassifierBusyException}; also how long
     * {@link Classifier#close()} waits for forward passes still running.
     *
     * @param waitTimeout positive; defaults to 30 seconds
     * @return this builder
     */
    public Builder optWaitTimeout(Duration waitTimeout) {
      if (waitTimeout.isNegative() || waitTimeout.isZero()) {
        throw new ConfigurationException(
            "the classifier's wait timeout must be positive, not " + waitTimeout);
      }
      this.waitTimeout = waitTimeout;
      return this;
    }

    /**
     * Sets the most single images coalesced into one forward pass.
     *
     * @param maxBatch 1 (no coalescing: one forward pass per image) to 4096; defaults to 64
     * @return this builder
     */
    public Builder optMaxBatch(int maxBatch) {
      if (maxBatch < 1 || maxBatch > 4096) {
        throw new ConfigurationException(
            "the classifier's max batch must be between 1 and 4096, not " + maxBatch);
      }
      this.maxBatch = maxBatch;
      return this;
    }

    /**
     * Sets how long a forward pass that is not full waits for more single images before it starts.
     * Zero (the default) adds no delay: a pass takes whatever is queued when a predictor becomes
     * free.
     *
     * @param maxDelay zero or positive, at most one second
     * @return this builder
     */
    public Builder optMaxDelay(Duration maxDelay) {
      if (maxDelay.isNegative() || maxDelay.compareTo(Duration.ofSeconds(1)) > 0) {
        throw new ConfigurationException(
            "the classifier's max delay must be between 0 and 1 s, not " + maxDelay);
      }
      this.maxDelay = maxDelay;
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
