package dev.cifar.function;

import dev.cifar.CifarException;
import dev.cifar.artifact.ModelArtifact;
import dev.cifar.classifier.Classifier;
import dev.cifar.classifier.ServingEngine;
import dev.cifar.engine.DeviceChoice;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Holds the one classifier of the application: loaded and validated once at startup from {@code
 * cifar.model} (or {@code CIFAR_MODEL}), else from the model packaged at build time, and closed at
 * shutdown. Without a usable model the application does not start.
 */
@ApplicationScoped
public class ModelService {

  /** Class-path location of the model the build packages. */
  public static final String PACKAGED_MODEL = "model/cifar10.zip";

  private static final Logger LOG = Logger.getLogger(ModelService.class);

  @ConfigProperty(name = "cifar.model")
  Optional<String> modelPath;

  @ConfigProperty(name = "cifar.device", defaultValue = "auto")
  String device;

  @ConfigProperty(name = "cifar.engine", defaultValue = "auto")
  String engine;

  @ConfigProperty(name = "cifar.pool-size")
  Optional<Integer> poolSize;

  @ConfigProperty(name = "cifar.request-timeout", defaultValue = "10s")
  Duration requestTimeout;

  @ConfigProperty(name = "cifar.batching.max-batch", defaultValue = "64")
  int batchingMaxBatch;

  @ConfigProperty(name = "cifar.batching.max-delay", defaultValue = "0s")
  Duration batchingMaxDelay;

  private final MeterRegistry registry;
  private volatile Classifier classifier;
  private volatile String source;
  private volatile double loadSeconds;

  ModelService(MeterRegistry registry) {
    this.registry = registry;
  }

  void onStart(@Observes StartupEvent event) {
    long start = System.nanoTime();
    try {
      ModelArtifact artifact = readArtifact();
      Classifier.Builder builder =
          Classifier.builder()
              .setArtifact(artifact)
              .optDevice(DeviceChoice.parse(device))
              .optEngine(ServingEngine.parse(engine))
              .optWaitTimeout(requestTimeout)
              .optMaxBatch(batchingMaxBatch)
              .optMaxDelay(batchingMaxDelay);
      poolSize.ifPresent(builder::optPoolSize);
      classifier = builder.build();
    } catch (CifarException e) {
      String line = "Cannot start: " + e.getMessage();
      LOG.error(line);
      throw new IllegalStateException(line);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    loadSeconds = seconds;
    io.micrometer.core.instrument.Gauge.builder(
            "cifar.model.load.seconds", this, s -> s.loadSeconds)
        .description("Time to read, validate and load the model at startup")
        .baseUnit("seconds")
        .register(registry);
    Classifier served = classifier;
    io.micrometer.core.instrument.FunctionCounter.builder(
            "cifar.classifier.requests", served, c -> c.batchStatistics().requests())
        .description("Single images submitted to the classifier (predict)")
        .register(registry);
    io.micrometer.core.instrument.FunctionCounter.builder(
            "cifar.classifier.forward.passes", served, c -> c.batchStatistics().forwardPasses())
        .description(
            "Forward passes that answered single images; fewer than the images when coalesced")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder(
            "cifar.classifier.batch.largest", served, c -> c.batchStatistics().largestBatch())
        .description("Most single images coalesced into one forward pass")
        .register(registry);
    LOG.infof(
        "Serving %s (%d classes, SHA-256 %s) from %s with %s on %s, loaded in %.2f s",
        classifier.metadata().serving().network(),
        classifier.classes().size(),
        classifier.checksum().substring(0, 12),
        source,
        classifier.engine().label(),
        classifier.device(),
        seconds);
  }

  private ModelArtifact readArtifact() {
    if (modelPath.isPresent() && !modelPath.get().isBlank()) {
      source = modelPath.get();
      return ModelArtifact.read(Path.of(source));
    }
    InputStream packaged =
        Thread.currentThread().getContextClassLoader().getResourceAsStream(PACKAGED_MODEL);
    if (packaged == null) {
      throw new CifarException(
          "no model: set cifar.model (or CIFAR_MODEL) to a model artifact, or build the"
              + " function without -Dcifar.skip so that it packages one");
    }
    source = "classpath:" + PACKAGED_MODEL;
    try (InputStream in = packaged) {
      return ModelArtifact.read(in, source);
    } catch (java.io.IOException e) {
      throw new CifarException("Cannot read " + source + ": " + e.getMessage(), e);
    }
  }

  /**
   * Returns the classifier.
   *
   * @return the loaded classifier
   * @throws IllegalStateException before startup finished
   */
  public Classifier classifier() {
    Classifier c = classifier;
    if (c == null) {
      throw new IllegalStateException("the model is not loaded yet");
    }
    return c;
  }

  /**
   * Tells whether the model is loaded.
   *
   * @return true once startup loaded it
   */
  public boolean ready() {
    return classifier != null;
  }

  /**
   * Returns where the model came from.
   *
   * @return a file path or {@code classpath:model/cifar10.zip}
   */
  public String source() {
    return source;
  }

  @PreDestroy
  void close() {
    Classifier c = classifier;
    classifier = null;
    if (c != null) {
      c.close();
    }
  }
}
