package dev.cifar.export;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.nn.Block;
import dev.cifar.ConfigurationException;
import dev.cifar.Json;
import dev.cifar.artifact.ModelArtifact;
import dev.cifar.artifact.ServingSpec;
import dev.cifar.data.AtomicFiles;
import dev.cifar.data.LabeledImages;
import dev.cifar.network.Network;
import dev.cifar.network.Networks;
import dev.cifar.network.Normalization;
import dev.cifar.network.TestTimeAugmentation;
import dev.cifar.network.TestTimeAveraging;
import dev.cifar.onnx.OnnxExportException;
import dev.cifar.onnx.OnnxGraph;
import dev.cifar.onnx.OnnxMetadata;
import dev.cifar.onnx.proto.OnnxModel.TensorProto;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Writes an artifact as one ONNX model that computes what the {@link dev.cifar.classifier
 * Classifier} computes: input {@value OnnxMetadata#INPUT}, uint8 pixels {@code [N,3,32,32]} in
 * CIFAR order; the normalisation, the network with its trained parameters and the recorded
 * test-time augmentation inside the graph; output {@value OnnxMetadata#OUTPUT}, the softmax
 * probabilities {@code [N, classes]}; the batch dimension {@code N} dynamic. Metadata: the class
 * names, the artifact's parameter checksum and its serving spec. Operator set {@value
 * OnnxGraph#OPSET}.
 */
public final class OnnxExport {

  /** The export format's name, as {@code cifar.export} gives it. */
  public static final String FORMAT = "onnx";

  private OnnxExport() {}

  /**
   * Exports an artifact.
   *
   * @param artifact the artifact, its parameters checked against its network
   * @return the ONNX model's bytes
   * @throws OnnxExportException when the network cannot be written as ONNX
   */
  public static byte[] export(ModelArtifact artifact) {
    ServingSpec serving = artifact.metadata().serving();
    Network network = Networks.named(serving.network());
    try (Model model = artifact.newModel(Device.cpu())) {
      Block block = model.getBlock();
      Block net = block instanceof TestTimeAveraging tta ? tta.network() : block;
      OnnxGraph g = new OnnxGraph("cifar_" + serving.network());
      int side = LabeledImages.SIDE;
      String x =
          g.input(
              OnnxMetadata.INPUT,
              TensorProto.DataType.UINT8,
              "N",
              (long) LabeledImages.CHANNELS,
              (long) side,
              (long) side);
      x =
          normalize(
              g,
              g.node(
                  "Cast", List.of(x), OnnxGraph.attribute("to", TensorProto.DataType.FLOAT_VALUE)),
              serving.normalization());
      TestTimeAugmentation tta = serving.testTimeAugmentation();
      String logits =
          average(g, network.toOnnx(net, g, expand(g, x, tta)), tta, serving.classes().size());
      String probabilities = g.node("Softmax", List.of(logits), OnnxGraph.attribute("axis", 1));
      g.output(
          probabilities,
          OnnxMetadata.OUTPUT,
          TensorProto.DataType.FLOAT,
          "N",
          (long) serving.classes().size());
      Map<String, String> metadata = new LinkedHashMap<>();
      metadata.put(OnnxMetadata.CLASSES, Json.GSON.toJson(serving.classes()));
      metadata.put(OnnxMetadata.CHECKSUM, artifact.checksum());
      metadata.put(OnnxMetadata.SERVING, Json.GSON.toJson(serving));
      return g.model(
              version(),
              network.description()
                  + "; uint8 pixels [N,3,32,32] in, probabilities [N,"
                  + serving.classes().size()
                  + "] out",
              metadata)
          .toByteArray();
    }
  }

  /**
   * Exports an artifact file: writes the ONNX model to a file and into the artifact (entry {@value
   * ModelArtifact#ONNX}), each whole or not at all; the artifact is left untouched when it already
   * carries this very model.
   *
   * @param artifactFile the artifact
   * @param target the {@code .onnx} file to write
   * @return the target
   * @throws OnnxExportException when the network cannot be written as ONNX or a file cannot be
   *     written
   * @throws dev.cifar.artifact.ArtifactException when the artifact cannot be read or rewritten
   */
  public static Path write(Path artifactFile, Path target) {
    ModelArtifact artifact = ModelArtifact.read(artifactFile);
    byte[] onnx = export(artifact);
    try {
      AtomicFiles.deleteStale(target);
      AtomicFiles.write(target, out -> out.write(onnx));
    } catch (IOException e) {
      throw new OnnxExportException("Cannot write " + target + ": " + e.getMessage());
    }
    if (!artifact.onnx().map(carried -> Arrays.equals(carried, onnx)).orElse(false)) {
      artifact.withOnnx(onnx).write(artifactFile);
    }
    return target;
  }

  /**
   * Returns where the ONNX model of an artifact goes by default: beside it, {@code .zip} replaced
   * by {@code .onnx}.
   *
   * @param artifact the artifact file
   * @return e.g. {@code target/cifar/cifar10-seed.onnx}
   */
  public static Path beside(Path artifact) {
    String name = artifact.getFileName().toString();
    String base = name.endsWith(".zip") ? name.substring(0, name.length() - 4) : name;
    return artifact.resolveSibling(base + ".onnx");
  }

  /**
   * Parses the export formats a build asks for.
   *
   * @param formats comma-separated, e.g. {@code onnx}; {@code null} or empty for none
   * @return whether ONNX is asked for
   * @throws ConfigurationException for a format this project cannot write
   */
  public static boolean asksForOnnx(String formats) {
    boolean onnx = false;
    if (formats == null) {
      return false;
    }
    for (String f : formats.split(",")) {
      String format = f.strip().toLowerCase(java.util.Locale.ROOT);
      if (format.equals(FORMAT)) {
        onnx = true;
      } else if (!format.isEmpty()) {
        throw new ConfigurationException(
            "Unknown export format '" + f.strip() + "' (cifar.export): the format is onnx");
      }
    }
    return onnx;
  }

  /** {@code x * (1 / (255 std)) - mean / std}, per channel, as {@code ImageTensors} does it. */
  private static String normalize(OnnxGraph g, String x, Normalization normalization) {
    float[] scale = new float[3];
    float[] shift = new float[3];
    for (int c = 0; c < 3; c++) {
      scale[c] = 1f / (255f * normalization.std()[c]);
      shift[c] = -normalization.mean()[c] / normalization.std()[c];
    }
    String scaled = g.node("Mul", List.of(x, g.constant("scale", scale, 1, 3, 1, 1)));
    return g.node("Add", List.of(scaled, g.constant("shift", shift, 1, 3, 1, 1)));
  }

  /**
   * The views of {@link TestTimeAugmentation#expand}, one batch after another along the batch axis:
   * the images and their mirrors, then (flip,translate) both shifted by one pixel up-left and
   * down-right with the border reflected.
   */
  private static String expand(OnnxGraph g, String x, TestTimeAugmentation tta) {
    return switch (tta) {
      case NONE -> x;
      case FLIP -> withMirror(g, x);
      case FLIP_TRANSLATE ->
          g.concat(
              0,
              List.of(
                  withMirror(g, x), withMirror(g, shift(g, x, -1)), withMirror(g, shift(g, x, 1))));
    };
  }

  private static String withMirror(OnnxGraph g, String x) {
    return g.concat(0, List.of(x, g.slice(x, 3, -1, Long.MIN_VALUE, -1)));
  }

  private static String shift(OnnxGraph g, String x, int direction) {
    String rows = shiftAxis(g, x, 2, direction);
    return shiftAxis(g, rows, 3, direction);
  }

  /** As {@code TestTimeAugmentation.shift} along one axis of 32. */
  private static String shiftAxis(OnnxGraph g, String x, int axis, int direction) {
    long size = LabeledImages.SIDE;
    return direction > 0
        ? g.concat(axis, List.of(g.slice(x, axis, 1, 2, 1), g.slice(x, axis, 0, size - 1, 1)))
        : g.concat(
            axis, List.of(g.slice(x, axis, 1, size, 1), g.slice(x, axis, size - 2, size - 1, 1)));
  }

  /** The logits of the views averaged with {@link TestTimeAugmentation#weights}, as combined. */
  private static String average(OnnxGraph g, String logits, TestTimeAugmentation tta, int classes) {
    if (tta == TestTimeAugmentation.NONE) {
      return logits;
    }
    int views = tta.views();
    float[] weights = tta.weights();
    String byView = g.node("Reshape", List.of(logits, g.ints("views_shape", views, -1, classes)));
    String weighted =
        g.node("Mul", List.of(byView, g.constant("view_weights", weights, views, 1, 1)));
    return g.node(
        "ReduceSum", List.of(weighted, g.ints("view_axis", 0)), OnnxGraph.attribute("keepdims", 0));
  }

  private static String version() {
    try (InputStream in =
        OnnxExport.class.getResourceAsStream("/dev/cifar/training-core.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
