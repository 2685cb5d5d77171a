package dev.cifar.function;

import dev.cifar.artifact.ModelMetadata;
import dev.cifar.classifier.Classifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.funqy.Funq;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The functions: {@code predict}, {@code predictBatch} and {@code model}. */
@ApplicationScoped
public class PredictFunctions {

  /** Classes listed when a request gives no {@code top}. */
  static final int DEFAULT_TOP = 3;

  private final ModelService model;
  private final MeterRegistry registry;
  private final ImageDecoder decoder;
  private final int maxBatch;

  PredictFunctions(
      ModelService model,
      MeterRegistry registry,
      @ConfigProperty(name = "cifar.max-image-bytes", defaultValue = "8388608") int maxImageBytes,
      @ConfigProperty(name = "cifar.max-pixels", defaultValue = "25000000") long maxPixels,
      @ConfigProperty(name = "cifar.max-batch", defaultValue = "64") int maxBatch) {
    this.model = model;
    this.registry = registry;
    this.decoder = new ImageDecoder(maxImageBytes, maxPixels);
    this.maxBatch = maxBatch;
  }

  /**
   * Classifies one image.
   *
   * @param request {@code image} (base64) or {@code pixels}, and optional {@code top}
   * @return the most probable class and the top classes
   */
  @Funq
  public PredictResponse predict(PredictRequest request) {
    return timed(
        "predict",
        () -> {
          if (request == null) {
            throw new BadRequestException(
                "empty request: send {\"image\": \"<base64 PNG/JPEG/GIF/BMP>\"}"
                    + " or {\"pixels\": [3072 values 0..255]}");
          }
          Classifier classifier = model.classifier();
          int top = top(request.top, classifier);
          byte[] image = decoder.decode(request, "request");
          return PredictResponse.of(classifier.classify(image, top));
        });
  }

  /**
   * Classifies several images in one forward pass.
   *
   * @param request the images and optional {@code top}
   * @return one prediction per image, in order
   */
  @Funq
  public BatchResponse predictBatch(BatchRequest request) {
    return timed(
        "predictBatch",
        () -> {
          if (request == null || request.images == null || request.images.isEmpty()) {
            throw new BadRequestException(
                "the batch is empty: send {\"images\": [{\"image\": ...}, ...]}");
          }
          if (!request.unknownFields().isEmpty()) {
            throw new BadRequestException(
                "the batch has unknown field(s) "
                    + request.unknownFields()
                    + ": the fields are 'images' and 'top'");
          }
          if (request.images.size() > maxBatch) {
            throw new BadRequestException(
                "the batch has "
                    + request.images.size()
                    + " images; the limit is "
                    + maxBatch
                    + " (cifar.max-batch)");
          }
          Classifier classifier = model.classifier();
          int top = top(request.top, classifier);
          List<byte[]> images = new ArrayList<>(request.images.size());
          for (int i = 0; i < request.images.size(); i++) {
            images.add(decoder.decode(request.images.get(i), "images[" + i + "]"));
          }
          return new BatchResponse(
              classifier.classify(images, top).stream().map(PredictResponse::of).toList());
        });
  }

  /**
   * Describes the loaded model.
   *
   * @return network, classes, checksum and recorded metrics
   */
  @Funq
  public ModelInfo model() {
    return timed(
        "model",
        () -> {
          Classifier classifier = model.classifier();
          ModelMetadata m = classifier.metadata();
          ModelInfo info = new ModelInfo();
          info.network = m.serving().network();
          info.networkVersion = m.serving().networkVersion();
          info.classes = m.serving().classes();
          info.testTimeAugmentation = m.serving().testTimeAugmentation().label();
          info.checksum = classifier.checksum();
          info.source = model.source();
          info.device = classifier.device().toString();
          info.metrics = new LinkedHashMap<>();
          if (m.dev() != null) {
            info.metrics.put("devAccuracy", m.dev().accuracy());
            info.metrics.put("devLoss", m.dev().loss());
          }
          if (m.test() != null) {
            info.metrics.put("testAccuracy", m.test().accuracy());
            info.metrics.put("testLoss", m.test().loss());
          }
          info.training = m.training();
          info.createdAt = m.createdAt();
          info.versions = Map.of("djl", m.djlVersion(), "pytorch", m.pytorchVersion());
          return info;
        });
  }

  private static int top(Integer requested, Classifier classifier) {
    int classes = classifier.classes().size();
    int top = requested == null ? Math.min(DEFAULT_TOP, classes) : requested;
    if (top < 1 || top > classes) {
      throw new BadRequestException("top is " + top + "; it must be between 1 and " + classes);
    }
    return top;
  }

  private <T> T timed(String function, Supplier<T> body) {
    Timer.Sample sample = Timer.start(registry);
    String outcome = "error";
    try {
      T result = body.get();
      outcome = "success";
      return result;
    } catch (BadRequestException e) {
      outcome = "bad_request";
      throw e;
    } finally {
      sample.stop(
          Timer.builder("cifar.function.requests")
              .description("Function calls by function and outcome")
              .tag("function", function)
              .tag("outcome", outcome)
              .register(registry));
    }
  }
}
