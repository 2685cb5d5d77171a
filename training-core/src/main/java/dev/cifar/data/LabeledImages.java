package dev.cifar.data;

import java.util.List;
import java.util.Objects;

/**
 * A set of 32x32 RGB images with integer labels, kept as one contiguous byte array in the CIFAR-10
 * record order (per image: 1024 red, 1024 green, then 1024 blue bytes, row-major). This is the
 * hand-over from the readers to the training loop, which copies it into one uint8 tensor on the
 * training device.
 *
 * @param pixels {@code size() * IMAGE_BYTES} bytes, image after image
 * @param labels one label per image, each in {@code 0 .. classes.size() - 1}
 * @param classes the class names, indexed by label
 */
public record LabeledImages(byte[] pixels, byte[] labels, List<String> classes) {

  /** Channels of an image. */
  public static final int CHANNELS = 3;

  /** Height and width of an image. */
  public static final int SIDE = 32;

  /** Bytes of one image: 3 x 32 x 32. */
  public static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;

  /**
   * Checks the sizes.
   *
   * @throws IllegalArgumentException when pixels and labels disagree
   */
  public LabeledImages {
    Objects.requireNonNull(pixels, "pixels");
    Objects.requireNonNull(labels, "labels");
    classes = List.copyOf(classes);
    if (pixels.length != (long) labels.length * IMAGE_BYTES) {
      throw new IllegalArgumentException(
          pixels.length + " pixel bytes do not hold " + labels.length + " images");
    }
  }

  /**
   * Returns the number of images.
   *
   * @return the number of images
   */
  public int size() {
    return labels.length;
  }

  /**
   * Returns the label of one image.
   *
   * @param index the image
   * @return its label
   */
  public int label(int index) {
    return labels[index] & 0xFF;
  }

  /**
   * Returns a copy of one image's bytes in CIFAR order.
   *
   * @param index the image
   * @return 3072 bytes
   */
  public byte[] image(int index) {
    byte[] out = new byte[IMAGE_BYTES];
    System.arraycopy(pixels, index * IMAGE_BYTES, out, 0, IMAGE_BYTES);
    return out;
  }

  /**
   * Joins sets that share the same classes.
   *
   * @param parts the sets, in order
   * @return one set with all their images
   */
  public static LabeledImages concat(List<LabeledImages> parts) {
    int n = parts.stream().mapToInt(LabeledImages::size).sum();
    byte[] p = new byte[n * IMAGE_BYTES];
    byte[] l = new byte[n];
    int at = 0;
    for (LabeledImages part : parts) {
      if (!part.classes().equals(parts.get(0).classes())) {
        throw new IllegalArgumentException("parts have different classes");
      }
      System.arraycopy(part.pixels, 0, p, at * IMAGE_BYTES, part.pixels.length);
      System.arraycopy(part.labels, 0, l, at, part.labels.length);
      at += part.size();
    }
    return new LabeledImages(p, l, parts.get(0).classes());
  }
}
