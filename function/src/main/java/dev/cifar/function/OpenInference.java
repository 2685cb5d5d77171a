package dev.cifar.function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cifar.classifier.Classifier;
import dev.cifar.classifier.ServingEngine;
import dev.cifar.data.LabeledImages;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Open Inference Protocol (KServe V2) over REST, for KServe, Triton and Seldon clients: server
 * and model metadata, liveness and readiness, and inference on one model, named {@code
 * cifar.v2.model-name} (default {@code cifar10}) with one version, the start of its artifact's
 * SHA-256. Inputs: {@code pixels}, UINT8 {@code [N,3,32,32]} (CIFAR order) or {@code [N,32,32,3]};
 * or {@code images}, BYTES {@code [N]}, each a base64 PNG, JPEG, GIF or BMP. Output: {@code
 * probabilities}, FP32 {@code [N, classes]}, or with the {@code classification} parameter the top k
 * of each image as BYTES {@code "probability:index:label"} (Triton's classification extension).
 * Errors are the protocol's {@code {"error": "..."}} with a 400 or 404.
 */
@ApplicationScoped
public class OpenInference {

  /** The input of raw pixels. */
  static final String PIXELS = "pixels";

  /** The input of encoded images. */
  static final String IMAGES = "images";

  /** The output. */
  static final String PROBABILITIES = "probabilities";

  /** Characters of the checksum that make the model's version. */
  static final int VERSION_LENGTH = 12;

  private final PredictFunctions functions;
  private final ModelService model;
  private final ObjectMapper mapper;
  private final String modelName;
  private final String serverVersion;

  OpenInference(
      PredictFunctions functions,
      ModelService model,
      ObjectMapper mapper,
      @ConfigProperty(name = "cifar.v2.model-name", defaultValue = "cifar10") String modelName,
      @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown")
          String serverVersion) {
    this.functions = functions;
    this.model = model;
    this.mapper = mapper;
    this.modelName = modelName;
    this.serverVersion = serverVersion;
  }

  void install(@Observes Router router) {
    // after Quarkus' body handler (Integer.MIN_VALUE + 1), before Funqy's routes
    int order = Integer.MIN_VALUE + 2;
    router.get("/v2").order(order).handler(ctx -> json(ctx, serverMetadata()));
    router.get("/v2/health/live").order(order).handler(ctx -> json(ctx, Map.of("live", true)));
    router
        .get("/v2/health/ready")
        .order(order)
        .blockingHandler(ctx -> json(ctx, Map.of("ready", ready())), false);
    for (String base : List.of("/v2/models/:name", "/v2/models/:name/versions/:version")) {
      router.get(base).order(order).blockingHandler(ctx -> json(ctx, modelMetadata(ctx)), false);
      router
          .get(base + "/ready")
          .order(order)
          .blockingHandler(ctx -> json(ctx, modelReady(ctx)), false);
      router
          .post(base + "/infer")
          .order(order)
          .blockingHandler(ctx -> json(ctx, infer(ctx)), false);
    }
    router.route("/v2/*").order(order).handler(ctx -> ctx.fail(404));
  }

  private Map<String, Object> serverMetadata() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "cifar");
    m.put("version", serverVersion);
    m.put("extensions", List.of("classification"));
    return m;
  }

  private boolean ready() {
    try {
      return model.classifier() != null;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private Map<String, Object> modelMetadata(RoutingContext ctx) {
    Classifier classifier = checkModel(ctx);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", modelName);
    m.put("versions", List.of(version(classifier)));
    m.put(
        "platform",
        classifier.engine() == ServingEngine.ONNXRUNTIME ? "onnxruntime_onnx" : "djl_pytorch");
    int side = LabeledImages.SIDE;
    m.put(
        "inputs",
        List.of(
            new TensorMetadata(
                PIXELS, "UINT8", new long[] {-1, LabeledImages.CHANNELS, side, side}),
            new TensorMetadata(IMAGES, "BYTES", new long[] {-1})));
    m.put(
        "outputs",
        List.of(
            new TensorMetadata(
                PROBABILITIES, "FP32", new long[] {-1, classifier.classes().size()})));
    return m;
  }

  private Map<String, Object> modelReady(RoutingContext ctx) {
    checkModel(ctx);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", modelName);
    m.put("ready", true);
    return m;
  }

  private InferenceResponse infer(RoutingContext ctx) {
    Classifier classifier = checkModel(ctx);
    byte[] body =
        ctx.body() == null || ctx.body().buffer() == null ? null : ctx.body().buffer().getBytes();
    if (body == null || body.length == 0) {
      throw new BadRequestException(
          "empty request: send {\"inputs\": [{\"name\": \"pixels\", \"datatype\": \"UINT8\","
              + " \"shape\": [1, 3, 32, 32], \"data\": [...]}]}");
    }
    InferenceRequest request = StrictJson.read(mapper, body, InferenceRequest.class, "");
    if (request == null) {
      throw new BadRequestException("the request body is null: send an inference request");
    }
    refuseUnknown(
        request.unknownFields(), "the request", "'id', 'parameters', 'inputs', 'outputs'");
    refuseParameters(request.parameters, "the request", List.of());
    int top = classification(request.outputs, classifier.classes().size());
    if (request.inputs == null || request.inputs.size() != 1) {
      throw new BadRequestException(
          "inputs must hold exactly one tensor, '"
              + PIXELS
              + "' (UINT8) or '"
              + IMAGES
              + "' (BYTES), not "
              + (request.inputs == null ? "none" : request.inputs.size()));
    }
    List<byte[]> images = images(request.inputs.get(0));
    float[][] probabilities = functions.probabilities(images);
    InferenceResponse response = new InferenceResponse();
    response.modelName = modelName;
    response.modelVersion = version(classifier);
    response.id = request.id;
    response.outputs = List.of(output(probabilities, top, classifier.classes()));
    return response;
  }

  /** The k of the classification parameter, or 0 for the probabilities. */
  private static int classification(List<InferenceRequest.Output> outputs, int classes) {
    if (outputs == null || outputs.isEmpty()) {
      return 0;
    }
    if (outputs.size() > 1) {
      throw new BadRequestException("outputs may ask for one output, '" + PROBABILITIES + "'");
    }
    InferenceRequest.Output output = outputs.get(0);
    refuseUnknown(output.unknownFields(), "outputs[0]", "'name', 'parameters'");
    if (!PROBABILITIES.equals(output.name)) {
      throw new BadRequestException(
          "outputs[0].name is '"
              + output.name
              + "'; the model's output is '"
              + PROBABILITIES
              + "'");
    }
    refuseParameters(output.parameters, "outputs[0]", List.of("classification", "binary_data"));
    if (output.parameters == null) {
      return 0;
    }
    JsonNode binary = output.parameters.get("binary_data");
    if (binary != null && !(binary.isBoolean() && !binary.booleanValue())) {
      throw new BadRequestException(
          "outputs[0].parameters.binary_data: binary tensor data is not supported; outputs are"
              + " JSON");
    }
    JsonNode k = output.parameters.get("classification");
    if (k == null) {
      return 0;
    }
    if (!k.isIntegralNumber()
        || !k.canConvertToInt()
        || k.intValue() < 1
        || k.intValue() > classes) {
      throw new BadRequestException(
          "outputs[0].parameters.classification is "
              + k
              + "; it must be a whole number from 1 to "
              + classes);
    }
    return k.intValue();
  }

  private List<byte[]> images(InferenceRequest.Input input) {
    refuseUnknown(
        input.unknownFields(), "inputs[0]", "'name', 'shape', 'datatype', 'parameters', 'data'");
    if (input.parameters != null && input.parameters.containsKey("binary_data_size")) {
      throw new BadRequestException(
          "inputs[0].parameters.binary_data_size: binary tensor data is not supported; send the"
              + " elements in 'data'");
    }
    refuseParameters(input.parameters, "inputs[0]", List.of());
    if (input.shape == null || input.datatype == null || input.data == null) {
      throw new BadRequestException("inputs[0] needs 'name', 'shape', 'datatype' and 'data'");
    }
    TensorData data = input.data;
    if (PIXELS.equals(input.name)) {
      requireType(input, "UINT8");
      return pixels(input.shape, data);
    }
    if (IMAGES.equals(input.name)) {
      requireType(input, "BYTES");
      return encoded(input.shape, data);
    }
    throw new BadRequestException(
        "inputs[0].name is '"
            + input.name
            + "'; the model's inputs are '"
            + PIXELS
            + "' (UINT8) and '"
            + IMAGES
            + "' (BYTES)");
  }

  private static void requireType(InferenceRequest.Input input, String datatype) {
    if (!datatype.equals(input.datatype)) {
      throw new BadRequestException(
          "inputs[0] '"
              + input.name
              + "' has datatype "
              + input.datatype
              + "; it must be "
              + datatype);
    }
  }

  private List<byte[]> pixels(long[] shape, TensorData data) {
    int side = LabeledImages.SIDE;
    int channels = LabeledImages.CHANNELS;
    boolean planar =
        shape.length == 4 && shape[1] == channels && shape[2] == side && shape[3] == side;
    boolean interleaved =
        shape.length == 4 && shape[1] == side && shape[2] == side && shape[3] == channels;
    if (!planar && !interleaved) {
      throw new BadRequestException(
          "inputs[0].shape is "
              + Arrays.toString(shape)
              + "; pixels are [N, 3, 32, 32] (CIFAR order) or [N, 32, 32, 3]");
    }
    int n = batchSize(shape[0]);
    checkLength(data.count(), (long) n * LabeledImages.IMAGE_BYTES, shape);
    int wrong = data.firstNonNumber();
    if (wrong >= 0) {
      throw new BadRequestException(
          "inputs[0].data["
              + wrong
              + "] must be a whole number 0..255 (UINT8), not "
              + data.describe(wrong));
    }
    int[] values = data.numbers();
    List<byte[]> images = new ArrayList<>(n);
    int plane = side * side;
    for (int i = 0; i < n; i++) {
      byte[] image = new byte[LabeledImages.IMAGE_BYTES];
      for (int j = 0; j < LabeledImages.IMAGE_BYTES; j++) {
        int at = i * LabeledImages.IMAGE_BYTES + j;
        int value = values[at];
        if (value < 0 || value > 255) {
          throw new BadRequestException(
              "inputs[0].data[" + at + "] is " + value + "; UINT8 values are 0..255");
        }
        // interleaved: element j is pixel j / 3, channel j % 3
        image[planar ? j : (j % channels) * plane + j / channels] = (byte) value;
      }
      images.add(image);
    }
    return images;
  }

  private List<byte[]> encoded(long[] shape, TensorData data) {
    if (!(shape.length == 1 || shape.length == 2 && shape[1] == 1)) {
      throw new BadRequestException(
          "inputs[0].shape is "
              + Arrays.toString(shape)
              + "; images are [N] (or [N, 1]), one encoded image each");
    }
    int n = batchSize(shape[0]);
    checkLength(data.count(), n, shape);
    int wrong = data.firstNonString();
    if (wrong >= 0) {
      throw new BadRequestException(
          "inputs[0].data["
              + wrong
              + "] must be a string (a base64 image), not "
              + data.describe(wrong));
    }
    List<byte[]> images = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      images.add(functions.decodeImageText(data.strings().get(i), "inputs[0].data[" + i + "]"));
    }
    return images;
  }

  private int batchSize(long n) {
    if (n < 1 || n > functions.maxBatch()) {
      throw new BadRequestException(
          "inputs[0].shape[0] is "
              + n
              + "; the batch must hold 1 to "
              + functions.maxBatch()
              + " images (cifar.max-batch)");
    }
    return (int) n;
  }

  private static void checkLength(int actual, long expected, long[] shape) {
    if (actual != expected) {
      throw new BadRequestException(
          "inputs[0].data has "
              + actual
              + " elements; shape "
              + Arrays.toString(shape)
              + " needs "
              + expected);
    }
  }

  private static InferenceResponse.Output output(
      float[][] probabilities, int top, List<String> classes) {
    InferenceResponse.Output output = new InferenceResponse.Output();
    output.name = PROBABILITIES;
    List<Object> data = new ArrayList<>();
    if (top == 0) {
      output.datatype = "FP32";
      output.shape = new long[] {probabilities.length, classes.size()};
      for (float[] row : probabilities) {
        for (float p : row) {
          data.add(p);
        }
      }
    } else {
      output.datatype = "BYTES";
      output.shape = new long[] {probabilities.length, top};
      for (float[] row : probabilities) {
        Integer[] order = new Integer[row.length];
        for (int c = 0; c < order.length; c++) {
          order[c] = c;
        }
        Arrays.sort(order, (a, b) -> Float.compare(row[b], row[a]));
        for (int r = 0; r < top; r++) {
          int c = order[r];
          data.add(row[c] + ":" + c + ":" + classes.get(c));
        }
      }
    }
    output.data = data;
    return output;
  }

  private Classifier checkModel(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    Classifier classifier = model.classifier();
    if (!modelName.equals(name)) {
      throw new BadRequestException(
          404, "no model '" + name + "': this server has one model, '" + modelName + "'");
    }
    String version = ctx.pathParam("version");
    if (version != null && !version.equals(version(classifier))) {
      throw new BadRequestException(
          404,
          "no version '"
              + version
              + "' of model '"
              + modelName
              + "': its one version is '"
              + version(classifier)
              + "'");
    }
    return classifier;
  }

  private static String version(Classifier classifier) {
    return classifier.checksum().substring(0, VERSION_LENGTH);
  }

  private static void refuseUnknown(List<String> unknown, String where, String known) {
    if (!unknown.isEmpty()) {
      throw new BadRequestException(
          where + " has unknown field(s) " + unknown + ": the fields are " + known);
    }
  }

  private static void refuseParameters(
      Map<String, JsonNode> parameters, String where, List<String> known) {
    if (parameters == null) {
      return;
    }
    List<String> unknown = new ArrayList<>(parameters.keySet());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new BadRequestException(
          where
              + " has unsupported parameter(s) "
              + unknown
              + (known.isEmpty() ? ": it takes none" : ": it takes " + known));
    }
  }

  private void json(RoutingContext ctx, Object body) {
    String text;
    try {
      text = mapper.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the answer", e);
    }
    ctx.response().putHeader("Content-Type", "application/json").end(text);
  }
}
