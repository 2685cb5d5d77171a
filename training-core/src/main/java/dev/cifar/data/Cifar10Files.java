package dev.cifar.data;

import java.util.List;
import java.util.Map;

/** Names and official checksums of the CIFAR-10 binary version. */
public final class Cifar10Files {

  /** The directory inside the official archive that holds the batches. */
  public static final String BATCHES_DIR = "cifar-10-batches-bin";

  /** The five training batches, in order. */
  public static final List<String> TRAIN_FILES =
      List.of(
          "data_batch_1.bin",
          "data_batch_2.bin",
          "data_batch_3.bin",
          "data_batch_4.bin",
          "data_batch_5.bin");

  /** The test batch. */
  public static final String TEST_FILE = "test_batch.bin";

  /** The class names, one per line. */
  public static final String META_FILE = "batches.meta.txt";

  /** Bytes of one record: one label byte and 3072 pixel bytes. */
  public static final int RECORD_BYTES = 1 + LabeledImages.IMAGE_BYTES;

  /** MD5 of each file of the official archive. */
  public static final Map<String, String> OFFICIAL_MD5 =
      Map.of(
          "data_batch_1.bin", "5dd7e06a14cb22eb9f671a540d1b7c25",
          "data_batch_2.bin", "5ea93a67294ea407fff1d09f752e9692",
          "data_batch_3.bin", "942cd6a4bcdd0dd3c604fbe906cb4421",
          "data_batch_4.bin", "ae636b3ba5c66a11e91e8cb52e771fcb",
          "data_batch_5.bin", "53f37980c15c3d472c316c40844f3f0d",
          "test_batch.bin", "803d5f7f4d78ea53de84dbe85f74fb6d");

  /** The official archive. */
  public static final String ARCHIVE_URL =
      "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";

  /** MD5 of the official archive. */
  public static final String ARCHIVE_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";

  private Cifar10Files() {}
}
