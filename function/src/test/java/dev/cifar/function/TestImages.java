package dev.cifar.function;

import dev.cifar.data.ImageConversion;
import dev.cifar.data.LabeledImages;
import dev.cifar.testing.SyntheticCifar;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** Encoded images of known class for the function's tests. */
public final class TestImages {

  /** 40 synthetic images whose classes the test model learned. */
  public static final LabeledImages KNOWN = SyntheticCifar.images(40, 4242);

  private TestImages() {}

  /**
   * Encodes an image.
   *
   * @param image the image
   * @param format an ImageIO format name: png, jpeg, gif, bmp
   * @return the encoded bytes
   */
  public static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalArgumentException("no writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Returns a known image as base64.
   *
   * @param index which of {@link #KNOWN}
   * @param format png, jpeg, gif or bmp
   * @param side width and height to scale to
   * @return base64 text
   */
  public static String base64(int index, String format, int side) {
    BufferedImage small = ImageConversion.toImage(KNOWN.image(index));
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.drawImage(small, 0, 0, side, side, null);
    g.dispose();
    return Base64.getEncoder().encodeToString(encode(image, format));
  }

  /**
   * Returns a known image's pixels as request values.
   *
   * @param index which of {@link #KNOWN}
   * @return 3072 values 0..255
   */
  public static int[] pixels(int index) {
    byte[] bytes = KNOWN.image(index);
    int[] out = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[i] & 0xFF;
    }
    return out;
  }

  /**
   * Returns the class name of a known image.
   *
   * @param index which of {@link #KNOWN}
   * @return its label
   */
  public static String label(int index) {
    return SyntheticCifar.CLASSES.get(KNOWN.label(index));
  }
}
