package dev.cifar.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cifar.testing.SyntheticCifar;
import dev.cifar.training.Training;
import dev.cifar.training.TrainingConfig;
import dev.cifar.training.TrainingResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {

  private static final List<String> OWN = List.of("boats", "cars", "planes");

  @TempDir Path tmp;

  private static void writeFolders(Path root, int perClass, long seed) throws IOException {
    SyntheticCifar.writeImageFolders(root, OWN, perClass, seed);
  }

  @Test
  void classFoldersBecomeLabelledImagesWithTheirNames() throws IOException {
    writeFolders(tmp, 5, 1);
    Files.writeString(tmp.resolve("boats/notes.txt"), "ignored: not an image");
    assertThat(DataSets.isImageFolders(tmp)).isTrue();
    Cifar10Dataset data = DataSets.read(tmp, w -> {});
    assertThat(data.classes()).isEqualTo(OWN);
    assertThat(data.train().size()).isEqualTo(15);
    assertThat(data.test().size()).isZero();
    assertThat(data.train().label(0)).isZero();
    assertThat(data.train().label(14)).isEqualTo(2);
    assertThat(DataSets.checksums(tmp))
        .hasSize(15)
        .containsKey(Path.of("cars", "0.png").toString());
    assertThat(DataLocation.resolve(tmp, tmp.resolve("cache"), l -> {})).isEqualTo(tmp);
  }

  @Test
  void trainAndTestSubfoldersSplitTheData() throws IOException {
    writeFolders(tmp.resolve("train"), 4, 1);
    writeFolders(tmp.resolve("test"), 2, 2);
    Cifar10Dataset data = DataSets.read(tmp, w -> {});
    assertThat(data.train().size()).isEqualTo(12);
    assertThat(data.test().size()).isEqualTo(6);
    assertThat(DataSets.readTestSet(tmp, w -> {}).size()).isEqualTo(6);
  }

  @Test
  void badFoldersAreNamed() throws IOException {
    writeFolders(tmp, 2, 1);
    Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> DataSets.read(tmp, w -> {}))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("empty")
        .hasMessageContaining("holds no PNG");
    Files.delete(tmp.resolve("empty"));
    Files.writeString(tmp.resolve("cars/broken.png"), "not a png");
    assertThatThrownBy(() -> DataSets.read(tmp, w -> {}))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("broken.png");
  }

  @Test
  void ownClassesTrainAndTravelIntoTheResult() throws IOException {
    writeFolders(tmp, 120, 3);
    Cifar10Dataset data = DataSets.read(tmp, w -> {});
    TrainingResult result =
        Training.builder()
            .setConfig(
                TrainingConfig.builder().optEpochs(5).optBatchSize(16).optDevSize(60).build())
            .setTrainingSet(data.train())
            .build()
            .run();
    assertThat(result.classes()).isEqualTo(OWN);
    assertThat(result.dev().accuracy()).isGreaterThan(0.8);
  }
}
