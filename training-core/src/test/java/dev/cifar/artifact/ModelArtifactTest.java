package dev.cifar.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.cifar.classifier.Classifier;
import dev.cifar.network.TestTimeAugmentation;
import dev.cifar.testing.SyntheticCifar;
import dev.cifar.testing.TrainedModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelArtifactTest {

  @TempDir Path tmp;

  @Test
  void roundTripGivesIdenticalPredictionsAndMetadata() {
    Path file = TrainedModels.writeSynthetic(tmp.resolve("model.zip"));
    ModelArtifact read = ModelArtifact.read(file);
    ModelMetadata m = read.metadata();
    assertThat(m.formatVersion()).isEqualTo(2);
    assertThat(m.serving().network()).isEqualTo("seed");
    assertThat(m.serving().classes()).isEqualTo(SyntheticCifar.CLASSES);
    assertThat(m.serving().testTimeAugmentation()).isEqualTo(TestTimeAugmentation.NONE);
    assertThat(m.serving().inputSize()).isEqualTo(32);
    assertThat(m.inputShape()).containsExactly(3, 32, 32);
    assertThat(m.serving().normalization().mean()).containsExactly(0.5f, 0.5f, 0.5f);
    assertThat(m.history()).hasSize(6);
    assertThat(m.test().accuracy()).isEqualTo(TrainedModels.synthetic().test().accuracy());
    assertThat(m.training()).containsEntry("network", "seed").containsKey("learningRate");
    assertThat(m.djlVersion()).isEqualTo("0.36.0");
    assertThat(m.pytorchVersion()).isEqualTo("2.7.1");
    assertThat(m.createdAt()).isNotBlank();

    List<byte[]> images = new ArrayList<>();
    var set = SyntheticCifar.images(50, 77);
    for (int i = 0; i < set.size(); i++) {
      images.add(set.image(i));
    }
    ModelArtifact original = TrainedModels.synthetic().toArtifact();
    try (Classifier a = Classifier.builder().setArtifact(original).build();
        Classifier b = Classifier.builder().setArtifact(read).build()) {
      float[][] pa = a.probabilities(images);
      float[][] pb = b.probabilities(images);
      for (int i = 0; i < pa.length; i++) {
        assertThat(pb[i]).containsExactly(pa[i]);
      }
    }
  }

  @Test
  void writeIsAtomicAndLeavesNoTemporaryFiles() throws IOException {
    Path file = TrainedModels.writeSynthetic(tmp.resolve("out/model.zip"));
    byte[] before = Files.readAllBytes(file);
    // a failing write leaves the previous artifact untouched
    Files.createDirectories(tmp.resolve("out/blocked.zip/inner"));
    assertThatThrownBy(
            () -> TrainedModels.synthetic().toArtifact().write(tmp.resolve("out/blocked.zip")))
        .isInstanceOf(ArtifactException.class);
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    try (Stream<Path> files = Files.list(tmp.resolve("out"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("model.zip", "blocked.zip");
    }
  }

  @Test
  void tamperedParametersFailTheChecksum() throws IOException {
    Path file =
        rewrite(
            entries -> {
              byte[] params = entries.get(ModelArtifact.PARAMETERS);
              params[params.length - 5] ^= 1;
              return entries;
            });
    assertThatThrownBy(() -> ModelArtifact.read(file))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void unknownFormatVersionIsRefused() throws IOException {
    Path file = rewriteJson(json -> json.addProperty("formatVersion", 99));
    assertThatThrownBy(() -> ModelArtifact.read(file)).hasMessageContaining("format version 99");
  }

  @Test
  void servingSectionIsWrittenAsSuch() throws IOException {
    Path file = rewriteJson(json -> {});
    JsonObject serving = json(file).getAsJsonObject("serving");
    assertThat(serving.get("network").getAsString()).isEqualTo("seed");
    assertThat(serving.get("testTimeAugmentation").getAsString()).isEqualTo("none");
    assertThat(serving.get("inputSize").getAsInt()).isEqualTo(32);
    assertThat(serving.getAsJsonArray("classes")).hasSize(SyntheticCifar.CLASSES.size());
  }

  @Test
  void version1ArtifactsAreReadWithTheirTestTimeAugmentationAndInputSize() throws IOException {
    Path file = version1(training -> training.addProperty("tta", "flip"));
    ServingSpec serving = ModelArtifact.read(file).metadata().serving();
    assertThat(serving.network()).isEqualTo("seed");
    assertThat(serving.classes()).isEqualTo(SyntheticCifar.CLASSES);
    assertThat(serving.testTimeAugmentation()).isEqualTo(TestTimeAugmentation.FLIP);
    assertThat(serving.inputSize()).isEqualTo(32);
    assertThat(serving.normalization().std()).containsExactly(0.5f, 0.5f, 0.5f);
    try (Classifier flipped = Classifier.builder().setArtifact(ModelArtifact.read(file)).build()) {
      assertThat(flipped.probabilities(List.of(SyntheticCifar.images(1, 3).image(0)))[0])
          .hasSize(SyntheticCifar.CLASSES.size());
    }
  }

  @Test
  void version1ArtifactsWithoutTheOptionsServePlainImages() throws IOException {
    Path file = version1(training -> training.remove("tta"));
    ServingSpec serving = ModelArtifact.read(file).metadata().serving();
    assertThat(serving.testTimeAugmentation()).isEqualTo(TestTimeAugmentation.NONE);
    assertThat(serving.inputSize()).isEqualTo(32);
  }

  @Test
  void unknownTestTimeAugmentationIsRefusedNotIgnored() throws IOException {
    Path file =
        rewriteJson(
            json -> json.getAsJsonObject("serving").addProperty("testTimeAugmentation", "rotate"));
    assertThatThrownBy(() -> ModelArtifact.read(file))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("serving.testTimeAugmentation");
  }

  @Test
  void aMissingServingSectionIsNamed() throws IOException {
    Path file = rewriteJson(json -> json.remove("serving"));
    assertThatThrownBy(() -> ModelArtifact.read(file))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("lacks serving.network");
  }

  @Test
  void unknownNetworkIsRefused() throws IOException {
    Path file =
        rewriteJson(json -> json.getAsJsonObject("serving").addProperty("network", "mystery"));
    assertThatThrownBy(() -> ModelArtifact.read(file))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("unknown network")
        .hasMessageContaining("mystery");
  }

  @Test
  void otherNetworkVersionIsRefused() throws IOException {
    Path file =
        rewriteJson(json -> json.getAsJsonObject("serving").addProperty("networkVersion", 7));
    assertThatThrownBy(() -> ModelArtifact.read(file))
        .hasMessageContaining("version 7 of network 'seed'");
  }

  @Test
  void missingEntryIsNamed() throws IOException {
    Path file =
        rewrite(
            entries -> {
              entries.remove(ModelArtifact.MODEL_JSON);
              return entries;
            });
    assertThatThrownBy(() -> ModelArtifact.read(file))
        .hasMessageContaining("has no model.json entry");
  }

  @Test
  void truncatedOrForeignFilesAreRefused() throws IOException {
    Path good = TrainedModels.writeSynthetic(tmp.resolve("good.zip"));
    byte[] bytes = Files.readAllBytes(good);
    Path truncated =
        Files.write(tmp.resolve("truncated.zip"), Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> ModelArtifact.read(truncated)).isInstanceOf(ArtifactException.class);
    Path text = Files.writeString(tmp.resolve("text.zip"), "hello");
    assertThatThrownBy(() -> ModelArtifact.read(text))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("text.zip");
    assertThatThrownBy(() -> ModelArtifact.read(tmp.resolve("absent.zip")))
        .hasMessageContaining("does not exist");
  }

  @Test
  void parametersForAnotherClassCountAreRefusedWhenLoading() throws IOException {
    Path file =
        rewriteJson(
            json -> {
              var classes = new com.google.gson.JsonArray();
              for (int i = 0; i < 4; i++) {
                classes.add("c" + i);
              }
              json.getAsJsonObject("serving").add("classes", classes);
            });
    ModelArtifact artifact = ModelArtifact.read(file);
    assertThatThrownBy(() -> artifact.newModel(ai.djl.Device.cpu()))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("4 classes");
  }

  /**
   * The artifact as version 1 wrote it: the serving fields at the top, the test-time augmentation
   * among the training options (changed by {@code training}).
   */
  private Path version1(java.util.function.Consumer<JsonObject> training) throws IOException {
    return rewriteJson(
        json -> {
          JsonObject serving = json.remove("serving").getAsJsonObject();
          json.addProperty("formatVersion", 1);
          for (String key :
              new String[] {"network", "networkVersion", "classes", "normalization"}) {
            json.add(key, serving.get(key));
          }
          training.accept(json.getAsJsonObject("training"));
        });
  }

  private static JsonObject json(Path artifact) throws IOException {
    try (InputStream in = Files.newInputStream(artifact);
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        if (e.getName().equals(ModelArtifact.MODEL_JSON)) {
          return JsonParser.parseString(new String(zip.readAllBytes(), StandardCharsets.UTF_8))
              .getAsJsonObject();
        }
      }
    }
    throw new AssertionError("no model.json in " + artifact);
  }

  private Path rewriteJson(java.util.function.Consumer<JsonObject> change) throws IOException {
    return rewrite(
        entries -> {
          JsonObject json =
              JsonParser.parseString(
                      new String(entries.get(ModelArtifact.MODEL_JSON), StandardCharsets.UTF_8))
                  .getAsJsonObject();
          change.accept(json);
          entries.put(ModelArtifact.MODEL_JSON, json.toString().getBytes(StandardCharsets.UTF_8));
          return entries;
        });
  }

  /** Rewrites the synthetic model's entries; without model.onnx, which a rewrite would not fit. */
  private Path rewrite(UnaryOperator<Map<String, byte[]>> change) throws IOException {
    Path good = tmp.resolve("good.zip");
    TrainedModels.synthetic().toArtifact().write(good);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(good);
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        entries.put(e.getName(), zip.readAllBytes());
      }
    }
    Map<String, byte[]> changed = change.apply(entries);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (var e : changed.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return Files.write(tmp.resolve("changed.zip"), bytes.toByteArray());
  }
}
