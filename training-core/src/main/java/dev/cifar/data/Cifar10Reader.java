package dev.cifar.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads the official CIFAR-10 binary version ({@code cifar-10-batches-bin/}). Every file is
 * validated (present, a whole number of 3073-byte records, labels within the classes) and compared
 * with the official MD5; a mismatch is reported as a warning, since copies with a shorter test
 * batch are legitimate.
 */
public final class Cifar10Reader {

  private Cifar10Reader() {}

  /**
   * Finds the batches directory: the given directory itself when it holds the batch files, else its
   * {@code cifar-10-batches-bin} child.
   *
   * @param dir the directory or its parent
   * @return the directory holding the batch files
   * @throws DataException when neither holds them
   */
  public static Path locate(Path dir) {
    if (Files.isRegularFile(dir.resolve(Cifar10Files.TEST_FILE))
        || Files.isRegularFile(dir.resolve(Cifar10Files.TRAIN_FILES.get(0)))) {
      return dir;
    }
    Path child = dir.resolve(Cifar10Files.BATCHES_DIR);
    if (Files.isDirectory(child)) {
      return child;
    }
    throw new DataException(
        "No CIFAR-10 binary data in "
            + dir.toAbsolutePath()
            + ": expected "
            + String.join(", ", Cifar10Files.TRAIN_FILES)
            + ", "
            + Cifar10Files.TEST_FILE
            + " and "
            + Cifar10Files.META_FILE
            + " in it or in its "
            + Cifar10Files.BATCHES_DIR
            + "/ directory");
  }

  /**
   * Reads and validates the whole data set.
   *
   * @param dir the batches directory or its parent
   * @param warnings receives one line per non-fatal problem (an MD5 mismatch)
   * @return the data set
   * @throws DataException naming the file when anything is missing or malformed
   */
  public static Cifar10Dataset read(Path dir, Consumer<String> warnings) {
    Path batches = locate(dir);
    List<String> classes = readClasses(batches.resolve(Cifar10Files.META_FILE));
    Map<String, String> md5 = new LinkedHashMap<>();
    List<Path> trainFiles = new ArrayList<>();
    for (String name : Cifar10Files.TRAIN_FILES) {
      trainFiles.add(requireFile(batches, name));
    }
    Path testFile = requireFile(batches, Cifar10Files.TEST_FILE);
    List<LabeledImages> parts = new ArrayList<>();
    for (Path file : trainFiles) {
      parts.add(readBatch(file, classes, md5, warnings));
    }
    LabeledImages test = readBatch(testFile, classes, md5, warnings);
    return new Cifar10Dataset(batches, LabeledImages.concat(parts), test, md5);
  }

  /**
   * Reads only the test batch (and the class names), e.g. to evaluate a model.
   *
   * @param dir the batches directory or its parent
   * @param warnings receives an MD5 mismatch
   * @return the test images
   * @throws DataException naming the file when it is missing or malformed
   */
  public static LabeledImages readTestSet(Path dir, Consumer<String> warnings) {
    Path batches = locate(dir);
    List<String> classes = readClasses(batches.resolve(Cifar10Files.META_FILE));
    return readBatch(
        requireFile(batches, Cifar10Files.TEST_FILE), classes, new LinkedHashMap<>(), warnings);
  }

  /**
   * Checks that every file is present and returns their MD5s, without parsing them: what a build
   * fingerprints to decide whether a model is up to date.
   *
   * @param dir the batches directory or its parent
   * @return MD5 of every batch file and the class list, by file name
   * @throws DataException naming a missing file
   */
  public static Map<String, String> checksums(Path dir) {
    Path batches = locate(dir);
    Map<String, String> md5 = new LinkedHashMap<>();
    List<String> names = new ArrayList<>(Cifar10Files.TRAIN_FILES);
    names.add(Cifar10Files.TEST_FILE);
    names.add(Cifar10Files.META_FILE);
    for (String name : names) {
      Path file = requireFile(batches, name);
      try {
        md5.put(name, Checksums.hex("MD5", file));
      } catch (IOException e) {
        throw new DataException("Cannot read " + file + ": " + e.getMessage(), e);
      }
    }
    return md5;
  }

  /**
   * Reads one batch file.
   *
   * @param file a file of 3073-byte records
   * @param classes the class names; labels must index them
   * @return the images of that file
   * @throws DataException naming the file when it is malformed
   */
  public static LabeledImages readBatch(Path file, List<String> classes) {
    return readBatch(file, classes, new LinkedHashMap<>(), w -> {});
  }

  private static LabeledImages readBatch(
      Path file, List<String> classes, Map<String, String> md5, Consumer<String> warnings) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new DataException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    if (bytes.length == 0 || bytes.length % Cifar10Files.RECORD_BYTES != 0) {
      throw new DataException(
          file
              + " is "
              + bytes.length
              + " bytes, not a whole number of "
              + Cifar10Files.RECORD_BYTES
              + "-byte records (1 label byte + 3072 pixel bytes):"
              + " the file is truncated or not CIFAR-10 binary data");
    }
    int n = bytes.length / Cifar10Files.RECORD_BYTES;
    byte[] labels = new byte[n];
    byte[] pixels = new byte[n * LabeledImages.IMAGE_BYTES];
    for (int i = 0; i < n; i++) {
      int at = i * Cifar10Files.RECORD_BYTES;
      int label = bytes[at] & 0xFF;
      if (label >= classes.size()) {
        throw new DataException(
            file
                + ": record "
                + i
                + " has label "
                + label
                + ", but there are only "
                + classes.size()
                + " classes (0.."
                + (classes.size() - 1)
                + ")");
      }
      labels[i] = (byte) label;
      System.arraycopy(
          bytes, at + 1, pixels, i * LabeledImages.IMAGE_BYTES, LabeledImages.IMAGE_BYTES);
    }
    String name = file.getFileName().toString();
    String actual = Checksums.hex("MD5", bytes);
    md5.put(name, actual);
    String official = Cifar10Files.OFFICIAL_MD5.get(name);
    if (official != null && !official.equals(actual)) {
      warnings.accept(
          file
              + " differs from the official CIFAR-10 file (MD5 "
              + actual
              + ", official "
              + official
              + ", "
              + n
              + " records)");
    }
    return new LabeledImages(pixels, labels, classes);
  }

  private static Path requireFile(Path dir, String name) {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new DataException(
          "Missing "
              + file
              + ": a CIFAR-10 binary directory holds "
              + String.join(", ", Cifar10Files.TRAIN_FILES)
              + ", "
              + Cifar10Files.TEST_FILE
              + " and "
              + Cifar10Files.META_FILE);
    }
    return file;
  }

  private static List<String> readClasses(Path meta) {
    requireFile(meta.getParent(), meta.getFileName().toString());
    List<String> classes = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(meta)) {
        if (!line.isBlank()) {
          classes.add(line.strip());
        }
      }
    } catch (IOException e) {
      throw new DataException("Cannot read " + meta + ": " + e.getMessage(), e);
    }
    if (classes.size() < 2 || classes.size() > 256) {
      throw new DataException(
          meta
              + " names "
              + classes.size()
              + " classes; it must name between 2 and 256, one per line");
    }
    if (classes.stream().distinct().count() != classes.size()) {
      throw new DataException(meta + " names a class twice: " + classes);
    }
    return List.copyOf(classes);
  }
}
