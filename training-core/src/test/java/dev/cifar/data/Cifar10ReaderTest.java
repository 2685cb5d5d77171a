package dev.cifar.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cifar.testing.SyntheticCifar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ReaderTest {

  @TempDir Path tmp;

  @Test
  void readsDirectoryOrItsParentAndKeepsRecordOrder() throws IOException {
    Path dir = SyntheticCifar.writeDirectory(tmp, 20, 15, 3);
    List<String> warnings = new ArrayList<>();
    Cifar10Dataset fromParent = Cifar10Reader.read(tmp, warnings::add);
    Cifar10Dataset fromDir = Cifar10Reader.read(dir, w -> {});

    assertThat(fromParent.train().size()).isEqualTo(100);
    assertThat(fromParent.test().size()).isEqualTo(15);
    assertThat(fromParent.classes()).isEqualTo(SyntheticCifar.CLASSES);
    assertThat(fromDir.train().pixels()).isEqualTo(fromParent.train().pixels());
    byte[] first = Files.readAllBytes(dir.resolve("data_batch_1.bin"));
    assertThat(fromParent.train().label(0)).isEqualTo(first[0]);
    assertThat(fromParent.train().image(0)).isEqualTo(Arrays.copyOfRange(first, 1, 3073));
    byte[] second = Files.readAllBytes(dir.resolve("data_batch_2.bin"));
    assertThat(fromParent.train().image(20)).isEqualTo(Arrays.copyOfRange(second, 1, 3073));
    // synthetic files are not the official ones: one MD5 warning per file, naming it
    assertThat(warnings)
        .hasSize(6)
        .allMatch(w -> w.contains("differs from the official CIFAR-10 file"));
    assertThat(warnings.get(0)).contains("data_batch_1.bin");
    assertThat(fromParent.md5()).containsKeys("data_batch_1.bin", "test_batch.bin");
  }

  @Test
  void truncatedFileIsNamed() throws IOException {
    Path dir = SyntheticCifar.writeDirectory(tmp, 5, 5, 3);
    Path file = dir.resolve("data_batch_3.bin");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 100));
    assertThatThrownBy(() -> Cifar10Reader.read(dir, w -> {}))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("data_batch_3.bin")
        .hasMessageContaining("not a whole number of 3073-byte records");
  }

  @Test
  void labelOutOfRangeIsNamedWithRecord() throws IOException {
    Path dir = SyntheticCifar.writeDirectory(tmp, 5, 5, 3);
    Path file = dir.resolve("test_batch.bin");
    byte[] bytes = Files.readAllBytes(file);
    bytes[3073 * 2] = 10;
    Files.write(file, bytes);
    assertThatThrownBy(() -> Cifar10Reader.read(dir, w -> {}))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("test_batch.bin")
        .hasMessageContaining("record 2 has label 10");
  }

  @Test
  void missingBatchIsNamedBeforeAnythingIsRead() throws IOException {
    Path dir = SyntheticCifar.writeDirectory(tmp, 5, 5, 3);
    Files.delete(dir.resolve("data_batch_5.bin"));
    assertThatThrownBy(() -> Cifar10Reader.read(dir, w -> {}))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("Missing")
        .hasMessageContaining("data_batch_5.bin");
  }

  @Test
  void emptyFileAndMissingMetaAreErrors() throws IOException {
    Path dir = SyntheticCifar.writeDirectory(tmp, 5, 5, 3);
    Files.write(dir.resolve("data_batch_1.bin"), new byte[0]);
    assertThatThrownBy(() -> Cifar10Reader.read(dir, w -> {}))
        .hasMessageContaining("data_batch_1.bin is 0 bytes");
    Files.delete(dir.resolve("batches.meta.txt"));
    assertThatThrownBy(() -> Cifar10Reader.read(dir, w -> {}))
        .hasMessageContaining("batches.meta.txt");
  }

  @Test
  void directoryWithoutDataSaysWhatIsExpected() {
    assertThatThrownBy(() -> Cifar10Reader.read(tmp, w -> {}))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("No CIFAR-10 binary data")
        .hasMessageContaining("cifar-10-batches-bin");
  }

  @Test
  void explicitMissingDirectoryIsNotDownloaded() {
    Path missing = tmp.resolve("nope");
    assertThatThrownBy(() -> DataLocation.resolve(missing, tmp.resolve("cache"), l -> {}))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("does not exist");
    assertThat(tmp.resolve("cache")).doesNotExist();
  }
}
