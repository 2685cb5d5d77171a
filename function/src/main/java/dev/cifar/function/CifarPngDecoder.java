package dev.cifar.function;

import dev.cifar.data.LabeledImages;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The fast path for the most common request: a PNG that is already a CIFAR image (32x32, 8-bit RGB,
 * not interlaced), decoded straight into the 3072 CIFAR bytes without ImageIO, a {@code
 * BufferedImage} or a resize. It takes only files it can read completely and exactly: the
 * signature, then {@code IHDR}, one or more {@code IDAT} and {@code IEND} with nothing after it,
 * every chunk's CRC correct, the zlib stream complete with exactly the expected bytes, and only the
 * five standard row filters. Anything else, valid or not, is left to {@link ImageDecoder}'s general
 * path, which keeps every check and error message; for the files it takes the answer is the same as
 * that path's, byte for byte.
 */
final class CifarPngDecoder {

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final int SIDE = LabeledImages.SIDE;
  private static final int ROW = 1 + 3 * SIDE;
  private static final int RAW = SIDE * ROW;
  private static final int IHDR = type("IHDR");
  private static final int IDAT = type("IDAT");
  private static final int IEND = type("IEND");

  private CifarPngDecoder() {}

  /**
   * Decodes a 32x32 8-bit RGB PNG.
   *
   * @param png the file's bytes
   * @return 3072 bytes in CIFAR order, or {@code null} when the file is anything else
   */
  static byte[] decode(byte[] png) {
    if (png.length < SIGNATURE.length + 12 + 13 + 12 + 12) {
      return null;
    }
    for (int i = 0; i < SIGNATURE.length; i++) {
      if (png[i] != SIGNATURE[i]) {
        return null;
      }
    }
    int at = SIGNATURE.length;
    if (!chunkIntact(png, at) || length(png, at) != 13 || typeAt(png, at) != IHDR) {
      return null;
    }
    int h = at + 8;
    if (readInt(png, h) != SIDE
        || readInt(png, h + 4) != SIDE
        || png[h + 8] != 8
        || png[h + 9] != 2
        || png[h + 10] != 0
        || png[h + 11] != 0
        || png[h + 12] != 0) {
      return null;
    }
    at += 12 + 13;
    byte[] raw = new byte[RAW];
    Inflater inflater = new Inflater();
    try {
      int inflated = 0;
      boolean sawData = false;
      while (true) {
        if (!chunkIntact(png, at)) {
          return null;
        }
        int length = length(png, at);
        int type = typeAt(png, at);
        if (type == IDAT) {
          sawData = true;
          inflater.setInput(png, at + 8, length);
          inflated += inflater.inflate(raw, inflated, RAW - inflated);
          if (!inflater.needsInput() && !inflater.finished()) {
            return null;
          }
          at += 12 + length;
        } else if (type == IEND && length == 0 && at + 12 == png.length && sawData) {
          break;
        } else {
          return null;
        }
      }
      if (inflated != RAW || !inflater.finished() || inflater.getRemaining() != 0) {
        return null;
      }
    } catch (DataFormatException e) {
      return null;
    } finally {
      inflater.end();
    }
    return unfilter(raw);
  }

  /** Undoes the row filters and splits the pixels into the red, green and blue planes. */
  private static byte[] unfilter(byte[] raw) {
    int stride = 3 * SIDE;
    byte[] previous = new byte[stride];
    byte[] current = new byte[stride];
    byte[] out = new byte[LabeledImages.IMAGE_BYTES];
    int plane = SIDE * SIDE;
    for (int y = 0; y < SIDE; y++) {
      int filter = raw[y * ROW];
      int base = y * ROW + 1;
      for (int i = 0; i < stride; i++) {
        int x = raw[base + i] & 0xFF;
        int left = i >= 3 ? current[i - 3] & 0xFF : 0;
        int up = previous[i] & 0xFF;
        int upLeft = i >= 3 ? previous[i - 3] & 0xFF : 0;
        int value =
            switch (filter) {
              case 0 -> x;
              case 1 -> x + left;
              case 2 -> x + up;
              case 3 -> x + ((left + up) >>> 1);
              case 4 -> x + paeth(left, up, upLeft);
              default -> -1;
            };
        if (value < 0) {
          return null;
        }
        current[i] = (byte) value;
      }
      for (int x = 0; x < SIDE; x++) {
        out[y * SIDE + x] = current[3 * x];
        out[plane + y * SIDE + x] = current[3 * x + 1];
        out[2 * plane + y * SIDE + x] = current[3 * x + 2];
      }
      byte[] swap = previous;
      previous = current;
      current = swap;
    }
    return out;
  }

  /** PNG's Paeth predictor (also used by the tests' encoder; ImageIO is their reference). */
  static int paeth(int a, int b, int c) {
    int p = a + b - c;
    int pa = Math.abs(p - a);
    int pb = Math.abs(p - b);
    int pc = Math.abs(p - c);
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
  }

  /** Whether a whole chunk (length, type, data, CRC) starts at {@code at} with a correct CRC. */
  private static boolean chunkIntact(byte[] png, int at) {
    if (at + 12 > png.length) {
      return false;
    }
    int length = length(png, at);
    if (length < 0 || length > png.length - at - 12) {
      return false;
    }
    CRC32 crc = new CRC32();
    crc.update(png, at + 4, 4 + length);
    return (int) crc.getValue() == readInt(png, at + 8 + length);
  }

  private static int length(byte[] png, int at) {
    return readInt(png, at);
  }

  private static int typeAt(byte[] png, int at) {
    return readInt(png, at + 4);
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xFF) << 24
        | (b[at + 1] & 0xFF) << 16
        | (b[at + 2] & 0xFF) << 8
        | b[at + 3] & 0xFF;
  }

  private static int type(String name) {
    return name.charAt(0) << 24 | name.charAt(1) << 16 | name.charAt(2) << 8 | name.charAt(3);
  }
}
