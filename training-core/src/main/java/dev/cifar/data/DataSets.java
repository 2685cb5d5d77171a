package dev.cifar.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one entry to training data: the CIFAR-10 binary version when the directory holds it, else a
 * directory of class folders of your own images ({@link ImageFolderReader}).
 */
public final class DataSets {

  private DataSets() {}

  private static boolean isCifarBinary(Path dir) {
    return Files.isRegularFile(dir.resolve(Cifar10Files.TRAIN_FILES.get(0)))
        || Files.isRegularFile(dir.resolve(Cifar10Files.TEST_FILE))
        || Files.isDirectory(dir.resolve(Cifar10Files.BATCHES_DIR));
  }

  /**
   * Tells whether a directory is class folders of images rather than CIFAR-10 binary.
   *
   * @param dir the directory
   * @return true for class folders
   */
  public static boolean isImageFolders(Path dir) {
    return !isCifarBinary(dir) && ImageFolderReader.looksLikeImageFolders(dir);
  }

  /**
   * Reads a data set.
   *
   * @param dir CIFAR-10 binary (or its parent) or class folders
   * @param warnings receives non-fatal problems
   * @return the data set
   * @throws DataException naming what is wrong
   */
  public static Cifar10Dataset read(Path dir, Consumer<String> warnings) {
    if (isImageFolders(dir)) {
      return ImageFolderReader.read(dir);
    }
    return Cifar10Reader.read(dir, warnings);
  }

  /**
   * Returns the checksums of every file of a data set, without decoding it.
   *
   * @param dir CIFAR-10 binary (or its parent) or class folders
   * @return checksums by file name
   */
  public static Map<String, String> checksums(Path dir) {
    if (isImageFolders(dir)) {
      return ImageFolderReader.checksums(dir);
    }
    return Cifar10Reader.checksums(dir);
  }

  /**
   * Reads only the test set.
   *
   * @param dir CIFAR-10 binary (or its parent) or class folders with {@code test/}
   * @param warnings receives non-fatal problems
   * @return the test images, possibly none for class folders without {@code test/}
   */
  public static LabeledImages readTestSet(Path dir, Consumer<String> warnings) {
    if (isImageFolders(dir)) {
      return ImageFolderReader.read(dir).test();
    }
    return Cifar10Reader.readTestSet(dir, warnings);
  }
}
