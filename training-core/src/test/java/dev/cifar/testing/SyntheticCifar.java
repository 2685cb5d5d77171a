package dev.cifar.testing;

import dev.cifar.data.Cifar10Files;
import dev.cifar.data.LabeledImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Makes small CIFAR-format data sets of a learnable pattern for tests: every class has its own
 * colour and its own bright stripe position, blurred by per-pixel noise, so a small network learns
 * it in a few epochs while chance stays at 1 / classes.
 */
public final class SyntheticCifar {

  /** The CIFAR-10 class names. */
  public static final List<String> CLASSES =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  private static final int[][] COLOURS = {
    {220, 40, 40}, {40, 200, 40}, {40, 40, 220}, {220, 220, 40}, {220, 40, 220},
    {40, 220, 220}, {130, 70, 20}, {250, 150, 60}, {120, 120, 120}, {20, 20, 20}
  };

  private SyntheticCifar() {}

  /**
   * Makes one image of a class.
   *
   * @param label the class, 0..9
   * @param random noise source
   * @return 3072 bytes in CIFAR order
   */
  public static byte[] image(int label, Random random) {
    byte[] out = new byte[LabeledImages.IMAGE_BYTES];
    int side = LabeledImages.SIDE;
    int stripe = 3 * label;
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          int v = COLOURS[label][c] + (int) (random.nextGaussian() * 30);
          if (y >= stripe && y < stripe + 3) {
            v = 255 - v / 3;
          }
          out[c * side * side + y * side + x] = (byte) Math.max(0, Math.min(255, v));
        }
      }
    }
    return out;
  }

  /**
   * Makes a set with classes in turn.
   *
   * @param n number of images
   * @param seed noise seed
   * @return the images
   */
  public static LabeledImages images(int n, long seed) {
    Random random = new Random(seed);
    byte[] pixels = new byte[n * LabeledImages.IMAGE_BYTES];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      int label = random.nextInt(CLASSES.size());
      labels[i] = (byte) label;
      System.arraycopy(
          image(label, random),
          0,
          pixels,
          i * LabeledImages.IMAGE_BYTES,
          LabeledImages.IMAGE_BYTES);
    }
    return new LabeledImages(pixels, labels, CLASSES);
  }

  /**
   * Writes a complete {@code cifar-10-batches-bin} directory.
   *
   * @param parent where to create it
   * @param perBatch images in each of the five training batches
   * @param test images in the test batch
   * @param seed noise seed
   * @return the batches directory
   * @throws IOException when writing fails
   */
  public static Path writeDirectory(Path parent, int perBatch, int test, long seed)
      throws IOException {
    Path dir = Files.createDirectories(parent.resolve(Cifar10Files.BATCHES_DIR));
    for (int b = 0; b < Cifar10Files.TRAIN_FILES.size(); b++) {
      Files.write(
          dir.resolve(Cifar10Files.TRAIN_FILES.get(b)), records(images(perBatch, seed + b)));
    }
    Files.write(dir.resolve(Cifar10Files.TEST_FILE), records(images(test, seed + 100)));
    Files.write(
        dir.resolve(Cifar10Files.META_FILE), (String.join("\n", CLASSES) + "\n").getBytes());
    return dir;
  }

  /**
   * Writes a data set of your own: class folders of PNG and BMP images of the synthetic pattern
   * (class {@code i} of {@code classes} drawn as pattern {@code 9 - 4 i}, capped), at sizes 32, 64
   * and 96.
   *
   * @param root where the class folders go
   * @param classes the folder names
   * @param perClass images per class
   * @param seed noise seed
   * @throws IOException when writing fails
   */
  public static void writeImageFolders(Path root, List<String> classes, int perClass, long seed)
      throws IOException {
    Random random = new Random(seed);
    for (int c = 0; c < classes.size(); c++) {
      Path folder = Files.createDirectories(root.resolve(classes.get(c)));
      int pattern = Math.max(0, 9 - 4 * c);
      for (int i = 0; i < perClass; i++) {
        java.awt.image.BufferedImage small =
            dev.cifar.data.ImageConversion.toImage(image(pattern, random));
        int side = 32 * (1 + i % 3);
        java.awt.image.BufferedImage big =
            new java.awt.image.BufferedImage(side, side, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = big.createGraphics();
        g.drawImage(small, 0, 0, side, side, null);
        g.dispose();
        String format = i % 2 == 0 ? "png" : "bmp";
        javax.imageio.ImageIO.write(big, format, folder.resolve(i + "." + format).toFile());
      }
    }
  }

  /**
   * Encodes images as CIFAR-10 binary records.
   *
   * @param images the images
   * @return label byte then 3072 pixel bytes, per image
   */
  public static byte[] records(LabeledImages images) {
    byte[] out = new byte[images.size() * Cifar10Files.RECORD_BYTES];
    for (int i = 0; i < images.size(); i++) {
      out[i * Cifar10Files.RECORD_BYTES] = images.labels()[i];
      System.arraycopy(
          images.pixels(),
          i * LabeledImages.IMAGE_BYTES,
          out,
          i * Cifar10Files.RECORD_BYTES + 1,
          LabeledImages.IMAGE_BYTES);
    }
    return out;
  }

  /**
   * Main entry for build scripts: writes a directory as {@link #writeDirectory} does.
   *
   * @param args target parent directory, images per batch, test images
   * @throws IOException when writing fails
   */
  public static void main(String[] args) throws IOException {
    Path dir =
        writeDirectory(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]), 7);
    System.out.println("Wrote synthetic CIFAR-10 to " + dir);
  }
}
