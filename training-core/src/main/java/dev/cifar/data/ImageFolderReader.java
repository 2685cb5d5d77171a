package dev.cifar.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads a data set of your own: a directory of class folders, {@code <dir>/<class>/*.png|jpg|...},
 * each image of any size resized to 32x32 as CIFAR-10 is. With {@code train/} and {@code test/}
 * subdirectories (each holding the class folders) the second is the test set; otherwise every image
 * is for training (and the dev split). Class names are the folder names, sorted, and travel into
 * the artifact.
 */
public final class ImageFolderReader {

  private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "bmp");

  private ImageFolderReader() {}

  /**
   * Tells whether a directory looks like class folders of images.
   *
   * @param dir the directory
   * @return true when it (or its {@code train/}) has a subdirectory holding an image
   */
  public static boolean looksLikeImageFolders(Path dir) {
    Path root = Files.isDirectory(dir.resolve("train")) ? dir.resolve("train") : dir;
    try (Stream<Path> children = Files.list(root)) {
      return children.filter(Files::isDirectory).anyMatch(c -> !images(c).isEmpty());
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Reads and validates the whole data set.
   *
   * @param dir the directory of class folders (or of {@code train/} and {@code test/})
   * @return the data set; its test set is empty without {@code test/}
   * @throws DataException naming the file or folder that is wrong
   */
  public static Cifar10Dataset read(Path dir) {
    boolean split = Files.isDirectory(dir.resolve("train"));
    Path trainDir = split ? dir.resolve("train") : dir;
    List<String> classes = classes(trainDir);
    Map<String, String> md5 = new LinkedHashMap<>();
    LabeledImages train = readSet(trainDir, classes, md5, dir);
    LabeledImages test =
        split && Files.isDirectory(dir.resolve("test"))
            ? readSet(dir.resolve("test"), classes, md5, dir)
            : new LabeledImages(new byte[0], new byte[0], classes);
    return new Cifar10Dataset(dir, train, test, md5);
  }

  /**
   * Returns the MD5 of every image file, by path relative to the directory.
   *
   * @param dir the directory of class folders
   * @return the checksums
   */
  public static Map<String, String> checksums(Path dir) {
    Map<String, String> md5 = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(ImageFolderReader::isImage).sorted().toList()) {
        md5.put(dir.relativize(f).toString(), Checksums.hex("MD5", f));
      }
    } catch (IOException e) {
      throw new DataException("Cannot read " + dir + ": " + e.getMessage(), e);
    }
    return md5;
  }

  private static List<String> classes(Path dir) {
    List<String> classes;
    try (Stream<Path> children = Files.list(dir)) {
      classes =
          children
              .filter(Files::isDirectory)
              .map(p -> p.getFileName().toString())
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new DataException("Cannot read " + dir + ": " + e.getMessage(), e);
    }
    if (classes.size() < 2 || classes.size() > 256) {
      throw new DataException(
          dir
              + " has "
              + classes.size()
              + " class folders; a data set of your own needs between"
              + " 2 and 256 (<dir>/<class>/*.png|jpg)");
    }
    return classes;
  }

  private static LabeledImages readSet(
      Path dir, List<String> classes, Map<String, String> md5, Path root) {
    List<byte[]> pixels = new ArrayList<>();
    List<Byte> labels = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      Path folder = dir.resolve(classes.get(c));
      List<Path> files = images(folder);
      if (files.isEmpty()) {
        throw new DataException(
            "Class folder " + folder + " holds no PNG, JPEG, GIF or BMP images");
      }
      for (Path file : files) {
        pixels.add(ImageConversion.toCifarBytes(decode(file)));
        labels.add((byte) c);
        try {
          md5.put(root.relativize(file).toString(), Checksums.hex("MD5", file));
        } catch (IOException e) {
          throw new DataException("Cannot read " + file + ": " + e.getMessage(), e);
        }
      }
    }
    byte[] p = new byte[pixels.size() * LabeledImages.IMAGE_BYTES];
    byte[] l = new byte[labels.size()];
    for (int i = 0; i < l.length; i++) {
      System.arraycopy(
          pixels.get(i), 0, p, i * LabeledImages.IMAGE_BYTES, LabeledImages.IMAGE_BYTES);
      l[i] = labels.get(i);
    }
    return new LabeledImages(p, l, classes);
  }

  private static BufferedImage decode(Path file) {
    try {
      BufferedImage image = ImageIO.read(file.toFile());
      if (image == null) {
        throw new DataException(file + " is not a readable PNG, JPEG, GIF or BMP image");
      }
      return image;
    } catch (IOException e) {
      throw new DataException(
          file + " cannot be decoded (" + e.getMessage() + "): it is truncated or corrupt", e);
    }
  }

  private static List<Path> images(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(ImageFolderReader::isImage).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static boolean isImage(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    return Files.isRegularFile(p) && dot > 0 && EXTENSIONS.contains(name.substring(dot + 1));
  }
}
