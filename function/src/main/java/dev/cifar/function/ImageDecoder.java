package dev.cifar.function;

import dev.cifar.data.ImageConversion;
import dev.cifar.data.LabeledImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Turns the image part of a request into the 3072 CIFAR bytes the classifier takes, checking every
 * limit before any work is spent: the encoded size, the format (PNG, JPEG, GIF, BMP), and the pixel
 * count read from the header, so a decompression bomb is refused undecoded. A PNG that is already a
 * 32x32 RGB image takes {@link CifarPngDecoder}'s direct path.
 */
final class ImageDecoder {

  private static final Set<String> FORMATS = Set.of("png", "jpeg", "gif", "bmp");

  /** Images smaller than this on a side carry too little to classify. */
  static final int MIN_SIDE = 8;

  private final int maxImageBytes;
  private final long maxPixels;

  ImageDecoder(int maxImageBytes, long maxPixels) {
    this.maxImageBytes = maxImageBytes;
    this.maxPixels = maxPixels;
  }

  /**
   * @return the most bytes one encoded image may have
   */
  int maxImageBytes() {
    return maxImageBytes;
  }

  /**
   * Decodes one request's image.
   *
   * @param request {@code image} or {@code pixels}, not both
   * @param where how to name it in errors, e.g. {@code images[3]}
   * @return 3072 bytes in CIFAR order
   * @throws BadRequestException naming the problem
   */
  byte[] decode(PredictRequest request, String where) {
    if (request == null) {
      throw new BadRequestException(
          where
              + " is missing: send {\"image\": \"<base64 PNG/JPEG/GIF/BMP>\"}"
              + " or {\"pixels\": [3072 values 0..255]}");
    }
    if (!request.unknownFields().isEmpty()) {
      throw new BadRequestException(
          where
              + " has unknown field(s) "
              + request.unknownFields()
              + ": the fields are 'image' or 'pixels', and 'top'");
    }
    boolean hasImage = request.image != null;
    boolean hasPixels = request.pixels != null;
    if (hasImage == hasPixels) {
      throw new BadRequestException(
          where
              + " must have exactly one of 'image' (base64 PNG, JPEG, GIF or BMP)"
              + " or 'pixels' (3072 values 0..255)"
              + (hasImage ? ", not both" : ""));
    }
    return hasImage
        ? fromBase64(request.image, where + ".image")
        : fromPixels(request.pixels, where);
  }

  private static byte[] fromPixels(int[] pixels, String where) {
    if (pixels.length != LabeledImages.IMAGE_BYTES) {
      throw new BadRequestException(
          where
              + ".pixels has "
              + pixels.length
              + " values; it needs "
              + LabeledImages.IMAGE_BYTES
              + " (3 x 32 x 32, red plane then green then blue)");
    }
    byte[] out = new byte[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      if (pixels[i] < 0 || pixels[i] > 255) {
        throw new BadRequestException(
            where + ".pixels[" + i + "] is " + pixels[i] + "; values must be 0..255");
      }
      out[i] = (byte) pixels[i];
    }
    return out;
  }

  private byte[] fromBase64(String text, String what) {
    String data = text.strip();
    if (data.startsWith("data:")) {
      int comma = data.indexOf(',');
      data = comma < 0 ? "" : data.substring(comma + 1);
    }
    if (data.isEmpty()) {
      throw new BadRequestException(what + " is empty");
    }
    long decodedSize = (long) data.length() * 3 / 4;
    if (decodedSize > maxImageBytes) {
      throw new BadRequestException(
          what
              + " is about "
              + decodedSize
              + " bytes; the limit is "
              + maxImageBytes
              + " bytes (cifar.max-image-bytes)");
    }
    return fromEncoded(decodeBase64(data, what), what, null);
  }

  /**
   * Decodes a base64 image given on its own, e.g. an element of a BYTES tensor.
   *
   * @param text base64, or a {@code data:} URL
   * @param what how to name it in errors, e.g. {@code inputs[0].data[2]}
   * @return 3072 bytes in CIFAR order
   * @throws BadRequestException naming the problem
   */
  byte[] decodeText(String text, String what) {
    return fromBase64(text, what);
  }

  /**
   * Decodes an uploaded image: a raw request body or a multipart file.
   *
   * @param bytes the encoded image, at most the image limit (the caller stops reading beyond it)
   * @param what how to name it in errors, e.g. {@code the request body}
   * @param declared the format its Content-Type declares ({@code png}, {@code jpeg}, {@code gif},
   *     {@code bmp}), or {@code null} to go by the bytes alone
   * @return 3072 bytes in CIFAR order
   * @throws BadRequestException naming the problem
   */
  byte[] decodeUpload(byte[] bytes, String what, String declared) {
    if (bytes.length == 0) {
      throw new BadRequestException(what + " is empty: send a PNG, JPEG, GIF or BMP image");
    }
    if (bytes.length > maxImageBytes) {
      throw new BadRequestException(
          413,
          what
              + " is "
              + bytes.length
              + " bytes; the limit is "
              + maxImageBytes
              + " bytes (cifar.max-image-bytes)");
    }
    return fromEncoded(bytes, what, declared);
  }

  private byte[] fromEncoded(byte[] bytes, String what, String declared) {
    if (maxPixels >= LabeledImages.SIDE * LabeledImages.SIDE
        && (declared == null || declared.equals("png"))) {
      byte[] cifar = CifarPngDecoder.decode(bytes);
      if (cifar != null) {
        return cifar;
      }
    }
    return ImageConversion.toCifarBytes(read(bytes, what, declared));
  }

  /**
   * Base64 of one line (what clients send) goes through the strict decoder, which refuses any
   * character outside the alphabet by itself; anything it refuses (line breaks included) takes the
   * lenient MIME decoder and the explicit character check, with their messages.
   */
  private static byte[] decodeBase64(String data, String what) {
    try {
      byte[] bytes = Base64.getDecoder().decode(data);
      if (bytes.length > 0) {
        return bytes;
      }
    } catch (IllegalArgumentException e) {
      // not strict single-line base64: the lenient path below decides and explains
    }
    byte[] bytes;
    try {
      bytes = Base64.getMimeDecoder().decode(data);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(what + " is not valid base64: " + e.getMessage());
    }
    if (bytes.length == 0 || !looksLikeBase64(data)) {
      throw new BadRequestException(what + " is not valid base64");
    }
    return bytes;
  }

  private static boolean looksLikeBase64(String data) {
    for (int i = 0; i < data.length(); i++) {
      char c = data.charAt(i);
      boolean ok =
          c >= 'A' && c <= 'Z'
              || c >= 'a' && c <= 'z'
              || c >= '0' && c <= '9'
              || c == '+'
              || c == '/'
              || c == '='
              || c == '\r'
              || c == '\n';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private BufferedImage read(byte[] bytes, String what, String declared) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (in == null || !readers.hasNext()) {
        throw new BadRequestException(what + " is not a PNG, JPEG, GIF or BMP image");
      }
      ImageReader reader = readers.next();
      try {
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        if (!FORMATS.contains(format)) {
          throw new BadRequestException(what + " is " + format + "; send PNG, JPEG, GIF or BMP");
        }
        if (declared != null && !declared.equals(format)) {
          throw new BadRequestException(
              what + " is declared as image/" + declared + " but holds a " + format + " image");
        }
        reader.setInput(in, true, true);
        long width = reader.getWidth(0);
        long height = reader.getHeight(0);
        if (width <= 0 || height <= 0) {
          throw new BadRequestException(what + " has no pixels (" + width + "x" + height + ")");
        }
        if (width < MIN_SIDE || height < MIN_SIDE) {
          throw new BadRequestException(
              what
                  + " is "
                  + width
                  + "x"
                  + height
                  + "; it must be at least "
                  + MIN_SIDE
                  + "x"
                  + MIN_SIDE
                  + " pixels to be classified");
        }
        if (width * height > maxPixels) {
          throw new BadRequestException(
              what
                  + " is "
                  + width
                  + "x"
                  + height
                  + " = "
                  + width * height
                  + " pixels; the limit is "
                  + maxPixels
                  + " (cifar.max-pixels)");
        }
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener(
            (source, warning) -> {
              // a CMYK JPEG without its ICC profile is read with a generic one: colours stay
              // close (ImageDecoderTest); any other warning means truncated or corrupt data
              if (!warning.contains("ICC color profile")) {
                warnings.add(warning);
              }
            });
        BufferedImage image = reader.read(0);
        if (image == null) {
          throw new BadRequestException(what + " could not be decoded");
        }
        if (!warnings.isEmpty()) {
          throw new BadRequestException(
              what + " could not be decoded (" + warnings.get(0) + "): it is truncated or corrupt");
        }
        if (format.equals("gif") && hasSecondFrame(reader)) {
          throw new BadRequestException(what + " is an animated GIF; send a still image");
        }
        if (image.getColorModel().getNumColorComponents() == 4) {
          throw new BadRequestException(
              what
                  + " is a CMYK "
                  + format
                  + "; its colours cannot be read reliably: convert it to RGB");
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof BadRequestException b) {
        throw b;
      }
      throw new BadRequestException(
          what + " could not be decoded (" + describe(e) + "): it is truncated or corrupt");
    }
  }

  private static boolean hasSecondFrame(ImageReader reader) {
    try {
      reader.getWidth(1);
      return true;
    } catch (IndexOutOfBoundsException | IOException e) {
      return false;
    }
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e instanceof java.io.EOFException ? "unexpected end of data" : "unreadable data";
    }
    return message;
  }
}
