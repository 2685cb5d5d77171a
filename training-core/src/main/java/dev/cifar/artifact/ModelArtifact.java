package dev.cifar.artifact;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.cifar.CifarException;
import dev.cifar.Json;
import dev.cifar.data.AtomicFiles;
import dev.cifar.data.Checksums;
import dev.cifar.data.LabeledImages;
import dev.cifar.engine.Engines;
import dev.cifar.evaluation.EpochMetrics;
import dev.cifar.evaluation.Evaluation;
import dev.cifar.network.Network;
import dev.cifar.network.Networks;
import dev.cifar.network.TestTimeAugmentation;
import dev.cifar.network.TorchScriptNetwork;
import dev.cifar.onnx.OnnxMetadata;
import dev.cifar.onnx.proto.OnnxModel;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The model artifact: one zip holding the DJL parameters ({@value #PARAMETERS}) and {@value
 * #MODEL_JSON}. Written atomically; read back only after every check passes: known format version,
 * both entries present, the parameters' SHA-256, a complete {@link ServingSpec} of a known network
 * of the same version, and a forward pass giving one output per class. Artifacts of format version
 * 1 (before the serving section) are read too.
 */
public final class ModelArtifact {

  /** Layout version this build writes (and the newest it reads). */
  public static final int FORMAT_VERSION = 2;

  /** The layout before {@code model.json} had a {@code serving} section; still read. */
  static final int FORMAT_VERSION_1 = 1;

  /** The metadata entry. */
  public static final String MODEL_JSON = "model.json";

  /** The parameters entry. */
  public static final String PARAMETERS = "parameters.params";

  /** The ONNX model's entry, present once the artifact has been exported ({@code cifar:export}). */
  public static final String ONNX = "model.onnx";

  private final ModelMetadata metadata;
  private final byte[] parameters;
  private final byte[] onnx;

  private ModelArtifact(ModelMetadata metadata, byte[] parameters, byte[] onnx) {
    this.metadata = metadata;
    this.parameters = parameters;
    this.onnx = onnx;
  }

  /**
   * Returns the ONNX model exported from this artifact, when it carries one.
   *
   * @return the {@code model.onnx} entry's bytes
   */
  public Optional<byte[]> onnx() {
    return Optional.ofNullable(onnx).map(byte[]::clone);
  }

  /**
   * Returns this artifact carrying an ONNX model exported from it.
   *
   * @param model the ONNX model's bytes
   * @return the artifact with {@code model.onnx}, not yet written
   */
  public ModelArtifact withOnnx(byte[] model) {
    return new ModelArtifact(metadata, parameters, model.clone());
  }

  /**
   * Packs trained parameters with what serving needs and the record of their training.
   *
   * @param serving how to serve them
   * @param training the run's configuration, as {@code cifar.*} names and values
   * @param history one entry per epoch
   * @param dev the dev-split evaluation, or {@code null}
   * @param test the test-set evaluation, or {@code null}
   * @param device the device trained on, for people
   * @param seconds wall time of the run
   * @param parameters the parameters, as {@code Block.saveParameters} writes them
   * @param fingerprint the fingerprint of the run's inputs, or {@code null}
   * @return the artifact, not yet written
   */
  public static ModelArtifact create(
      ServingSpec serving,
      Map<String, Object> training,
      List<EpochMetrics> history,
      Evaluation dev,
      Evaluation test,
      String device,
      double seconds,
      byte[] parameters,
      String fingerprint) {
    Engine engine = Engines.pytorch();
    ModelMetadata metadata =
        new ModelMetadata(
            FORMAT_VERSION,
            serving,
            inputShape(),
            training,
            history,
            dev,
            test,
            device,
            seconds,
            Engine.getDjlVersion(),
            engine.getVersion(),
            Checksums.hex("SHA-256", parameters),
            Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
            fingerprint);
    return new ModelArtifact(metadata, parameters.clone(), null);
  }

  /**
   * Returns the metadata.
   *
   * @return the content of {@code model.json}
   */
  public ModelMetadata metadata() {
    return metadata;
  }

  /**
   * Returns the parameters.
   *
   * @return a copy of the parameters entry, in DJL's format
   */
  public byte[] parameters() {
    return parameters.clone();
  }

  /**
   * Returns the SHA-256 of the parameters.
   *
   * @return lower-case hex
   */
  public String checksum() {
    return metadata.parametersSha256();
  }

  /**
   * Writes the artifact atomically: the target holds the old content or the complete new one, never
   * a partial zip.
   *
   * @param target the zip to create or replace
   * @throws ArtifactException when it cannot be written
   */
  public void write(Path target) {
    try {
      AtomicFiles.deleteStale(target);
      AtomicFiles.write(
          target,
          out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.putNextEntry(new ZipEntry(MODEL_JSON));
            zip.write(Json.GSON.toJson(metadata).getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry(PARAMETERS));
            zip.write(parameters);
            zip.closeEntry();
            if (onnx != null) {
              zip.putNextEntry(new ZipEntry(ONNX));
              zip.write(onnx);
              zip.closeEntry();
            }
            zip.finish();
          });
    } catch (IOException e) {
      throw new ArtifactException(
          "Cannot write model artifact " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads and validates an artifact file.
   *
   * @param file the zip
   * @return the artifact
   * @throws ArtifactException naming the file and the problem
   */
  public static ModelArtifact read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (NoSuchFileException e) {
      throw new ArtifactException("Model artifact " + file + " does not exist");
    } catch (IOException e) {
      throw new ArtifactException("Cannot read model artifact " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads and validates an artifact from a stream (e.g. a class-path resource).
   *
   * @param in the zip bytes
   * @param name what to call it in messages
   * @return the artifact
   * @throws ArtifactException naming the artifact and the problem
   */
  public static ModelArtifact read(InputStream in, String name) {
    Map<String, byte[]> entries = new HashMap<>();
    try (ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        entries.put(entry.getName(), zip.readAllBytes());
      }
    } catch (IOException e) {
      throw new ArtifactException(
          "Model artifact "
              + name
              + " is not a valid zip ("
              + e.getMessage()
              + "): the file is truncated or corrupt; train again or restore it",
          e);
    }
    byte[] json = require(entries, MODEL_JSON, name);
    byte[] params = require(entries, PARAMETERS, name);
    ModelMetadata metadata = parse(json, name);
    ServingSpec serving = metadata.serving();
    if (serving == null
        || serving.network() == null
        || serving.classes() == null
        || serving.classes().size() < 2
        || serving.normalization() == null
        || metadata.parametersSha256() == null) {
      throw new ArtifactException(
          "Model artifact "
              + name
              + ": "
              + MODEL_JSON
              + " lacks serving.network, serving.classes, serving.normalization or parametersSha256");
    }
    if (serving.testTimeAugmentation() == null) {
      throw new ArtifactException(
          "Model artifact "
              + name
              + ": "
              + MODEL_JSON
              + " has no known"
              + " serving.testTimeAugmentation (none, flip or flip,translate)");
    }
    if (serving.inputSize() < 8 || serving.inputSize() > 1024) {
      throw new ArtifactException(
          "Model artifact "
              + name
              + ": "
              + MODEL_JSON
              + " declares serving.inputSize "
              + serving.inputSize()
              + ", not between 8 and 1024");
    }
    String actual = Checksums.hex("SHA-256", params);
    if (!actual.equals(metadata.parametersSha256())) {
      throw new ArtifactException(
          "Model artifact "
              + name
              + ": checksum mismatch, "
              + PARAMETERS
              + " has SHA-256 "
              + actual
              + " but "
              + MODEL_JSON
              + " records "
              + metadata.parametersSha256()
              + ": the artifact was modified or corrupted");
    }
    Network network;
    try {
      network = network(metadata);
    } catch (CifarException e) {
      throw new ArtifactException(
          "Model artifact " + name + " is for an unknown network: " + e.getMessage());
    }
    if (network.version() != serving.networkVersion()) {
      throw new ArtifactException(
          "Model artifact "
              + name
              + " was trained on version "
              + serving.networkVersion()
              + " of network '"
              + network.name()
              + "'; this build has version "
              + network.version()
              + ": retrain it");
    }
    if (!Arrays.equals(metadata.inputShape(), inputShape())) {
      throw new ArtifactException(
          "Model artifact "
              + name
              + " declares input shape "
              + Arrays.toString(metadata.inputShape())
              + "; this build serves [3, 32, 32]");
    }
    byte[] onnxModel = entries.get(ONNX);
    if (onnxModel != null) {
      checkOnnx(onnxModel, metadata, name);
    }
    return new ModelArtifact(metadata, params, onnxModel);
  }

  /**
   * An ONNX model in the artifact must be one exported from its parameters, for the serving spec of
   * its {@code model.json}: ONNX Runtime serves it without loading the parameters into the network,
   * so what PyTorch would find there (parameters that do not fit) is found here.
   */
  private static void checkOnnx(byte[] model, ModelMetadata metadata, String name) {
    String checksum = null;
    String serving = null;
    try {
      for (var p : OnnxModel.ModelProto.parseFrom(model).getMetadataPropsList()) {
        if (p.getKey().equals(OnnxMetadata.CHECKSUM)) {
          checksum = p.getValue();
        }
        if (p.getKey().equals(OnnxMetadata.SERVING)) {
          serving = p.getValue();
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new ArtifactException(
          "Model artifact "
              + name
              + ": "
              + ONNX
              + " is not an ONNX model ("
              + e.getMessage()
              + ")");
    }
    if (!metadata.parametersSha256().equals(checksum)) {
      throw new ArtifactException(
          "Model artifact "
              + name
              + ": "
              + ONNX
              + " was exported from other parameters (checksum "
              + checksum
              + ", the artifact's "
              + metadata.parametersSha256()
              + "): export it again with mvn cifar:export");
    }
    ServingSpec exported = serving == null ? null : Json.GSON.fromJson(serving, ServingSpec.class);
    ServingSpec served = metadata.serving();
    if (exported == null || !Json.GSON.toJson(exported).equals(Json.GSON.toJson(served))) {
      throw new ArtifactException(
          "Model artifact "
              + name
              + ": its parameters do not fit network '"
              + served.network()
              + "' with "
              + served.classes().size()
              + " classes as "
              + MODEL_JSON
              + " serves it: "
              + ONNX
              + ", exported from them, was exported for "
              + (exported == null
                  ? "no recorded serving spec"
                  : "network '"
                      + exported.network()
                      + "' with "
                      + exported.classes().size()
                      + " classes")
              + (exported != null
                      && exported.network().equals(served.network())
                      && exported.classes().equals(served.classes())
                  ? " and another serving spec (version, normalisation, test-time augmentation or"
                      + " input size)"
                  : "")
              + "; export the artifact again with mvn cifar:export");
    }
  }

  /**
   * Rebuilds the network and loads the parameters into a new DJL model, checked with one forward
   * pass. The caller closes the model.
   *
   * @param device where the model runs
   * @return the model, ready for inference
   * @throws ArtifactException when the parameters do not fit the network
   */
  public Model newModel(Device device) {
    Engines.pytorch();
    ServingSpec serving = metadata.serving();
    Network network = network(metadata);
    Model model = Model.newInstance("cifar-" + network.name(), device, Engines.ENGINE);
    try {
      if (network instanceof TorchScriptNetwork torchScript) {
        network = torchScript.withModule(new PtSymbolBlock((PtNDManager) model.getNDManager()));
      }
      Block net = network.build(serving.classes().size());
      net.loadParameters(
          model.getNDManager(), new DataInputStream(new ByteArrayInputStream(parameters)));
      Block block = serving.testTimeAugmentation().wrap(net);
      model.setBlock(block);
      try (NDManager probe = model.getNDManager().newSubManager()) {
        NDArray x =
            probe.zeros(
                new Shape(2, LabeledImages.CHANNELS, LabeledImages.SIDE, LabeledImages.SIDE));
        Shape out =
            block
                .forward(new ParameterStore(probe, false), new NDList(x), false)
                .singletonOrThrow()
                .getShape();
        if (!out.equals(new Shape(2, serving.classes().size()))) {
          throw new ArtifactException(
              "Model artifact's parameters do not fit network '"
                  + serving.network()
                  + "' with "
                  + serving.classes().size()
                  + " classes: it gives outputs of shape "
                  + out);
        }
      }
      return model;
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      if (e instanceof ArtifactException a) {
        throw a;
      }
      throw new ArtifactException(
          "Model artifact's parameters do not fit network '"
              + serving.network()
              + "' with "
              + serving.classes().size()
              + " classes: "
              + e.getMessage(),
          e);
    }
  }

  private static Network network(ModelMetadata metadata) {
    ServingSpec serving = metadata.serving();
    return Networks.resolve(serving.network(), serving.inputSize(), serving.normalization());
  }

  private static int[] inputShape() {
    return new int[] {LabeledImages.CHANNELS, LabeledImages.SIDE, LabeledImages.SIDE};
  }

  /** Reads {@code model.json}, a version 1 layout lifted to the current one. */
  private static ModelMetadata parse(byte[] json, String name) {
    try {
      JsonElement tree = JsonParser.parseString(new String(json, StandardCharsets.UTF_8));
      if (!tree.isJsonObject()) {
        throw new ArtifactException(
            "Model artifact " + name + ": " + MODEL_JSON + " is empty or not an object");
      }
      JsonObject root = tree.getAsJsonObject();
      JsonElement version = root.get("formatVersion");
      int formatVersion = version != null && version.isJsonPrimitive() ? version.getAsInt() : -1;
      if (formatVersion == FORMAT_VERSION_1) {
        root.add("serving", servingOfVersion1(root));
      } else if (formatVersion != FORMAT_VERSION) {
        throw new ArtifactException(
            "Model artifact "
                + name
                + " has format version "
                + version
                + "; this build reads versions "
                + FORMAT_VERSION_1
                + " and "
                + FORMAT_VERSION
                + ": retrain it with this version");
      }
      return Json.GSON.fromJson(root, ModelMetadata.class);
    } catch (JsonParseException | NumberFormatException | UnsupportedOperationException e) {
      throw new ArtifactException(
          "Model artifact "
              + name
              + ": "
              + MODEL_JSON
              + " is not valid JSON ("
              + e.getMessage()
              + ")");
    }
  }

  /**
   * Version 1 kept the network, its version, classes and normalisation at the top and the test-time
   * augmentation and input size among the training options (absent: none and 32).
   */
  private static JsonObject servingOfVersion1(JsonObject root) {
    JsonObject serving = new JsonObject();
    for (String key : new String[] {"network", "networkVersion", "classes", "normalization"}) {
      if (root.has(key)) {
        serving.add(key, root.get(key));
      }
    }
    JsonObject training =
        root.has("training") && root.get("training").isJsonObject()
            ? root.getAsJsonObject("training")
            : new JsonObject();
    serving.add(
        "testTimeAugmentation",
        training.has("tta")
            ? training.get("tta")
            : Json.GSON.toJsonTree(TestTimeAugmentation.NONE));
    serving.add(
        "inputSize",
        training.has("inputSize")
            ? training.get("inputSize")
            : Json.GSON.toJsonTree(LabeledImages.SIDE));
    return serving;
  }

  private static byte[] require(Map<String, byte[]> entries, String entry, String name) {
    byte[] bytes = entries.get(entry);
    if (bytes == null) {
      throw new ArtifactException(
          "Model artifact "
              + name
              + " has no "
              + entry
              + " entry: it is not a model"
              + " artifact of this project, or it is incomplete");
    }
    return bytes;
  }
}
