package dev.cifar.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * CIFAR-10 as read from disk: the training batches joined in order, the test batch, and the
 * checksums of the files it came from (which a build can fingerprint).
 *
 * @param directory the {@code cifar-10-batches-bin} directory that was read
 * @param train the images of {@code data_batch_1..5.bin}, in file order
 * @param test the images of {@code test_batch.bin}
 * @param md5 the MD5 of every batch file, by file name
 */
public record Cifar10Dataset(
    Path directory, LabeledImages train, LabeledImages test, Map<String, String> md5) {

  /**
   * Returns the class names.
   *
   * @return the class names, indexed by label
   */
  public List<String> classes() {
    return train.classes();
  }
}
