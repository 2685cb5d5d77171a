package dev.cifar.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * Turns any {@link BufferedImage} into the 3072 bytes of a CIFAR-10 record: alpha dropped, resized
 * to 32x32 (halving steps, then bilinear, so large images do not alias), then the red, green and
 * blue planes, row-major.
 */
public final class ImageConversion {

  private ImageConversion() {}

  /**
   * Converts an image.
   *
   * @param image any size, any colour model
   * @return 3072 bytes in CIFAR order
   */
  public static byte[] toCifarBytes(BufferedImage image) {
    BufferedImage small = resize(opaque(image), LabeledImages.SIDE);
    int plane = LabeledImages.SIDE * LabeledImages.SIDE;
    byte[] out = new byte[LabeledImages.IMAGE_BYTES];
    int[] rgb =
        small.getRGB(0, 0, LabeledImages.SIDE, LabeledImages.SIDE, null, 0, LabeledImages.SIDE);
    for (int i = 0; i < plane; i++) {
      out[i] = (byte) (rgb[i] >> 16);
      out[plane + i] = (byte) (rgb[i] >> 8);
      out[2 * plane + i] = (byte) rgb[i];
    }
    return out;
  }

  /**
   * Converts CIFAR bytes back into an image (for reports and tests).
   *
   * @param cifar 3072 bytes in CIFAR order
   * @return a 32x32 RGB image
   */
  public static BufferedImage toImage(byte[] cifar) {
    int side = LabeledImages.SIDE;
    int plane = side * side;
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < plane; i++) {
      int rgb =
          (cifar[i] & 0xFF) << 16 | (cifar[plane + i] & 0xFF) << 8 | cifar[2 * plane + i] & 0xFF;
      image.setRGB(i % side, i / side, rgb);
    }
    return image;
  }

  private static BufferedImage opaque(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage rgb = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      image.getRGB(0, y, w, 1, row, 0, w);
      rgb.setRGB(0, y, w, 1, row, 0, w);
    }
    return rgb;
  }

  private static BufferedImage resize(BufferedImage image, int side) {
    BufferedImage current = image;
    while (current.getWidth() >= 2 * side * 2 || current.getHeight() >= 2 * side * 2) {
      current =
          scale(
              current,
              Math.max(side, current.getWidth() / 2),
              Math.max(side, current.getHeight() / 2));
    }
    if (current.getWidth() == side && current.getHeight() == side) {
      return current;
    }
    return scale(current, side, side);
  }

  private static BufferedImage scale(BufferedImage image, int w, int h) {
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(image, 0, 0, w, h, null);
    } finally {
      g.dispose();
    }
    return out;
  }
}
