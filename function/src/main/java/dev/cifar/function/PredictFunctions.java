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
          checkBatchSize(request.images.size());
          Classifier classifier = model.classifier();
          int top = top(request.top, classifier);
          List<byte[]> images = new ArrayList<>(request.images.size());
          for (int i = 0; i < request.images.size(); i++) {
            PredictRequest item = request.images.get(i);
            if (item != null && item.top != null) {
              throw new BadRequestException(
                  "images[" + i + "].top: give top once, for the whole batch");
            }
            images.add(decoder.decode(item, "images[" + i + "]"));
          }
          return new BatchResponse(
              classifier.classify(images, top).stream().map(PredictResponse::of).toList());
        });
  }

  /**
   * Classifies one uploaded image, as {@link #predict} does one in JSON.
   *
   * @param image the raw body or the form's file
   * @param top classes to list, or {@code null} for the default
   * @return the most probable class and the top classes
   */
  PredictResponse predict(UploadedImage image, Integer top) {
    return timed(
        "predict",
        () -> {
          Classifier classifier = model.classifier();
          int k = top(top, classifier);
          byte[] cifar = decoder.decodeUpload(image.bytes(), image.what(), image.declared());
          return PredictResponse.of(classifier.classify(cifar, k));
        });
  }

  /**
   * Classifies several uploaded images in one forward pass, as {@link #predictBatch} does.
   *
   * @param images the form's files, in order
   * @param top classes to list per image, or {@code null} for the default
   * @return one prediction per image, in order
   */
  BatchResponse predictBatch(List<UploadedImage> images, Integer top) {
    return timed(
        "predictBatch",
        () -> {
          if (images.isEmpty()) {
            throw new BadRequestException(
                "the form has no image files: send each image as a file part");
          }
          checkBatchSize(images.size());
          Classifier classifier = model.classifier();
          int k = top(top, classifier);
          List<byte[]> cifar = new ArrayList<>(images.size());
          for (UploadedImage image : images) {
            cifar.add(decoder.decodeUpload(image.bytes(), image.what(), image.declared()));
          }
          return new BatchResponse(
              classifier.classify(cifar, k).stream().map(PredictResponse::of).toList());
        });
  }

  /**
   * Computes the class probabilities of decoded images, for the Open Inference Protocol: one image
   * is coalesced with concurrent ones as {@link #predict} is, several go in one forward pass.
   *
   * @param images 3072 bytes each, in CIFAR order
   * @return one row of probabilities per image, in the model's class order
   */
  float[][] probabilities(List<byte[]> images) {
    return timed(
        "infer",
        () -> {
          checkBatchSize(images.size());
          Classifier classifier = model.classifier();
          return images.size() == 1
              ? new float[][] {classifier.probabilities(images.get(0))}
              : classifier.probabilities(images);
        });
  }

  /**
   * Decodes a base64 image (a {@code data:} URL too) as {@code image} in JSON is.
   *
   * @param text the base64 text
   * @param where how to name it in errors
   * @return 3072 bytes in CIFAR order
   */
  byte[] decodeImageText(String text, String where) {
    return decoder.decodeText(text, where);
  }

  /**
   * @return the most bytes one encoded image may have ({@code cifar.max-image-bytes})
   */
  int maxImageBytes() {
    return decoder.maxImageBytes();
  }

  /**
   * @return the most images one batch may hold ({@code cifar.max-batch})
   */
  int maxBatch() {
    return maxBatch;
  }

  private void checkBatchSize(int images) {
    if (images > maxBatch) {
      throw new BadRequestException(
          "the batch has " + images + " images; the limit is " + maxBatch + " (cifar.max-batch)");
    }
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
          info.engine = classifier.engine().label();
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
