package dev.cifar.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.gson.reflect.TypeToken;
import dev.cifar.Json;
import dev.cifar.artifact.ModelArtifact;
import dev.cifar.artifact.ServingSpec;
import dev.cifar.classifier.Classifier;
import dev.cifar.data.LabeledImages;
import dev.cifar.engine.Engines;
import dev.cifar.network.Network;
import dev.cifar.network.Networks;
import dev.cifar.network.TestTimeAugmentation;
import dev.cifar.onnx.OnnxExportException;
import dev.cifar.onnx.OnnxGraph;
import dev.cifar.onnx.OnnxMetadata;
import dev.cifar.testing.Probabilities;
import dev.cifar.testing.SyntheticCifar;
import dev.cifar.testing.TrainedModels;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exported ONNX model, run in ONNX Runtime, gives the DJL classifier's probabilities within
 * 1e-5 for every network (seed, fast, resnet18) and test-time augmentation, for one image and for a
 * batch (the batch dimension is dynamic), and carries the classes, checksum and serving spec; what
 * cannot be exported says why.
 */
class OnnxExportTest {

  private static final float TOLERANCE = 1e-5f;

  /**
   * An artifact of a freshly initialised network: its probabilities are far from 0 and 1, so that
   * every view of the test-time augmentation moves them (a trained model's are too sure).
   */
  private static ModelArtifact untrained(String name, TestTimeAugmentation tta) throws Exception {
    Network network = Networks.named(name);
    List<String> classes = SyntheticCifar.CLASSES;
    ByteArrayOutputStream parameters = new ByteArrayOutputStream();
    try (Model model = Model.newInstance("export-test", Device.cpu(), Engines.ENGINE)) {
      Block block = network.build(classes.size());
      block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, 32, 32));
      block.saveParameters(new DataOutputStream(parameters));
    }
    return artifact(
        new ServingSpec(
            network.name(), network.version(), classes, network.normalization(), tta, 32),
        parameters.toByteArray());
  }

  /** The same artifact with another test-time augmentation. */
  private static ModelArtifact withTta(ModelArtifact a, TestTimeAugmentation tta) {
    ServingSpec s = a.metadata().serving();
    return artifact(
        new ServingSpec(
            s.network(), s.networkVersion(), s.classes(), s.normalization(), tta, s.inputSize()),
        a.parameters());
  }

  private static ModelArtifact artifact(ServingSpec serving, byte[] parameters) {
    return ModelArtifact.create(
        serving, Map.of(), List.of(), null, null, "cpu", 0, parameters, "onnx-export-test");
  }

  /** Runs the model in ONNX Runtime on uint8 images. */
  static float[][] run(byte[] onnx, List<byte[]> images) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions())) {
      ByteBuffer pixels = ByteBuffer.allocateDirect(images.size() * LabeledImages.IMAGE_BYTES);
      images.forEach(pixels::put);
      pixels.flip();
      long[] shape = {
        images.size(), LabeledImages.CHANNELS, LabeledImages.SIDE, LabeledImages.SIDE
      };
      try (OnnxTensor input = OnnxTensor.createTensor(env, pixels, shape, OnnxJavaType.UINT8);
          OrtSession.Result result = session.run(Map.of(OnnxMetadata.INPUT, input))) {
        return (float[][]) result.get(OnnxMetadata.OUTPUT).orElseThrow().getValue();
      }
    }
  }

  /** Every network the project trains, with every test-time augmentation (ResNet-18: fewer). */
  static Stream<Arguments> networks() {
    Stream.Builder<Arguments> out = Stream.builder();
    for (String network : List.of("seed", "fast")) {
      for (TestTimeAugmentation tta : TestTimeAugmentation.values()) {
        out.add(Arguments.of(network, tta, 24));
      }
    }
    out.add(Arguments.of("resnet18", TestTimeAugmentation.NONE, 6));
    out.add(Arguments.of("resnet18", TestTimeAugmentation.FLIP_TRANSLATE, 4));
    return out.build();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("networks")
  void onnxRuntimeGivesTheClassifiersProbabilities(
      String network, TestTimeAugmentation tta, int count) throws Exception {
    ModelArtifact artifact = untrained(network, tta);
    byte[] onnx = OnnxExport.export(artifact);
    LabeledImages data = SyntheticCifar.images(count, 77);
    List<byte[]> images = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      images.add(data.image(i));
    }
    try (Classifier classifier = Classifier.builder().setArtifact(artifact).build()) {
      float[][] expected = classifier.probabilities(images);
      if (tta != TestTimeAugmentation.NONE) {
        // the views matter: without them the answers differ well beyond the tolerance
        assertThat(
                Probabilities.maxDifference(
                    expected,
                    run(OnnxExport.export(withTta(artifact, TestTimeAugmentation.NONE)), images)))
            .isGreaterThan(10 * TOLERANCE);
      }
      float[][] batch = run(onnx, images);
      float[][] single = run(onnx, images.subList(2, 3));
      assertThat(batch)
          .hasDimensions(images.size(), artifact.metadata().serving().classes().size());
      for (int i = 0; i < images.size(); i++) {
        for (int c = 0; c < expected[i].length; c++) {
          assertThat(batch[i][c])
              .as("image %d class %d (%s)", i, c, tta)
              .isCloseTo(expected[i][c], org.assertj.core.data.Offset.offset(TOLERANCE));
        }
      }
      for (int c = 0; c < expected[2].length; c++) {
        assertThat(single[0][c])
            .isCloseTo(expected[2][c], org.assertj.core.data.Offset.offset(TOLERANCE));
      }
    }
  }

  @Test
  void theModelCarriesTheClassesChecksumAndServingSpec() throws Exception {
    ModelArtifact artifact = TrainedModels.synthetic().toArtifact();
    byte[] onnx = OnnxExport.export(artifact);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions())) {
      Map<String, String> metadata = session.getMetadata().getCustomMetadata();
      List<String> classes =
          Json.GSON.fromJson(
              metadata.get(OnnxMetadata.CLASSES), new TypeToken<List<String>>() {}.getType());
      assertThat(classes).isEqualTo(artifact.metadata().serving().classes());
      assertThat(metadata.get(OnnxMetadata.CHECKSUM)).isEqualTo(artifact.checksum());
      assertThat(
              Json.GSON.fromJson(metadata.get(OnnxMetadata.SERVING), ServingSpec.class).network())
          .isEqualTo("seed");
      assertThat(session.getMetadata().getProducerName()).isEqualTo("cifar");
      assertThat(session.getInputInfo()).containsOnlyKeys(OnnxMetadata.INPUT);
      assertThat(session.getOutputInfo()).containsOnlyKeys(OnnxMetadata.OUTPUT);
      assertThat(session.getInputInfo().get(OnnxMetadata.INPUT).getInfo().toString())
          .contains("UINT8", "[-1, 3, 32, 32]");
    }
  }

  @Test
  void theOnnxModelTravelsInsideTheArtifactAndMustBeItsOwn(@TempDir Path dir) throws Exception {
    Path zip = dir.resolve("cifar10-seed.zip");
    ModelArtifact artifact = untrained("seed", TestTimeAugmentation.FLIP);
    artifact.write(zip);
    Path onnx = OnnxExport.write(zip, OnnxExport.beside(zip));
    assertThat(onnx).isEqualTo(dir.resolve("cifar10-seed.onnx"));
    byte[] file = Files.readAllBytes(onnx);
    ModelArtifact exported = ModelArtifact.read(zip);
    assertThat(exported.onnx()).hasValueSatisfying(carried -> assertThat(carried).isEqualTo(file));
    assertThat(exported.checksum()).isEqualTo(artifact.checksum());
    byte[] zipBytes = Files.readAllBytes(zip);
    OnnxExport.write(zip, onnx);
    assertThat(Files.readAllBytes(zip))
        .as("a second export leaves the artifact as it is")
        .isEqualTo(zipBytes);

    // another network's parameters with this ONNX model: refused on reading, naming the entry
    Path other = dir.resolve("other.zip");
    untrained("seed", TestTimeAugmentation.FLIP).withOnnx(file).write(other);
    assertThatThrownBy(() -> ModelArtifact.read(other))
        .isInstanceOf(dev.cifar.artifact.ArtifactException.class)
        .hasMessageContaining("model.onnx was exported from other parameters");

    // the same parameters and ONNX model under another serving spec (another test-time
    // augmentation in model.json): ONNX Runtime would serve what the graph has, so refused too
    Path respecified = dir.resolve("respecified.zip");
    withTta(artifact, TestTimeAugmentation.NONE).withOnnx(file).write(respecified);
    assertThatThrownBy(() -> ModelArtifact.read(respecified))
        .isInstanceOf(dev.cifar.artifact.ArtifactException.class)
        .hasMessageContaining("do not fit network 'seed' with 10 classes as model.json serves it")
        .hasMessageContaining("another serving spec");
  }

  @Test
  void aTorchScriptStartIsRefusedWithTheReason() {
    assertThatThrownBy(
            () ->
                dev.cifar.network.TorchScriptNetwork.of(32, dev.cifar.network.Normalization.HALF)
                    .toOnnx(null, new OnnxGraph("g"), "x"))
        .isInstanceOf(OnnxExportException.class)
        .hasMessageContaining("TorchScript")
        .hasMessageContaining("torch.onnx.export");
  }
}
