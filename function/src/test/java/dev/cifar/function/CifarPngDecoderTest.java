package dev.cifar.function;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cifar.data.ImageConversion;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The direct path for 32x32 RGB PNGs gives exactly what ImageIO and {@code ImageConversion} give,
 * for every row filter and for what ImageIO's own writer produces, and takes nothing else: other
 * sizes and colour types, interlacing, extra chunks, bad CRCs, truncation and trailing bytes all go
 * back to the general path.
 */
class CifarPngDecoderTest {

  private static byte[] general(byte[] png) throws IOException {
    return ImageConversion.toCifarBytes(ImageIO.read(new ByteArrayInputStream(png)));
  }

  private static BufferedImage image(long seed, int side, int type) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(side, side, type);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int smooth = (x * 7 + y * 3) & 0xFF;
        int rgb =
            seed % 2 == 0
                ? random.nextInt(1 << 24)
                : smooth << 16 | (255 - smooth) << 8 | (x * y) & 0xFF;
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  @Test
  void imagesWrittenByImageIoDecodeExactlyAsTheGeneralPath() throws IOException {
    for (long seed = 0; seed < 40; seed++) {
      int type = seed % 3 == 0 ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_3BYTE_BGR;
      byte[] png = TestImages.encode(image(seed, 32, type), "png");
      byte[] fast = CifarPngDecoder.decode(png);
      assertThat(fast).as("seed %d", seed).isNotNull().isEqualTo(general(png));
    }
    for (int i = 0; i < TestImages.KNOWN.size(); i++) {
      byte[] png = Base64.getDecoder().decode(TestImages.base64(i, "png", 32));
      assertThat(CifarPngDecoder.decode(png))
          .isEqualTo(TestImages.KNOWN.image(i))
          .isEqualTo(general(png));
    }
  }

  @ParameterizedTest(name = "filter {0}")
  @ValueSource(ints = {0, 1, 2, 3, 4})
  void everyRowFilterDecodesExactly(int filter) throws IOException {
    for (long seed = 0; seed < 4; seed++) {
      byte[] png = png(image(seed, 32, BufferedImage.TYPE_INT_RGB), filter, 1, false);
      assertThat(CifarPngDecoder.decode(png))
          .as("seed %d", seed)
          .isNotNull()
          .isEqualTo(general(png));
    }
  }

  @Test
  void dataSplitOverSeveralIdatChunksDecodesExactly() throws IOException {
    byte[] png = png(image(3, 32, BufferedImage.TYPE_INT_RGB), 4, 7, false);
    assertThat(CifarPngDecoder.decode(png)).isNotNull().isEqualTo(general(png));
  }

  @Test
  void everythingElseIsLeftToTheGeneralPath() throws IOException {
    byte[] good = png(image(1, 32, BufferedImage.TYPE_INT_RGB), 1, 1, false);
    assertThat(CifarPngDecoder.decode(good)).isNotNull();
    assertThat(
            CifarPngDecoder.decode(
                TestImages.encode(image(1, 64, BufferedImage.TYPE_INT_RGB), "png")))
        .isNull();
    assertThat(
            CifarPngDecoder.decode(
                TestImages.encode(image(1, 32, BufferedImage.TYPE_INT_ARGB), "png")))
        .isNull();
    assertThat(
            CifarPngDecoder.decode(
                TestImages.encode(image(1, 32, BufferedImage.TYPE_BYTE_GRAY), "png")))
        .isNull();
    assertThat(
            CifarPngDecoder.decode(
                TestImages.encode(image(1, 32, BufferedImage.TYPE_INT_RGB), "bmp")))
        .isNull();
    assertThat(CifarPngDecoder.decode(png(image(1, 32, BufferedImage.TYPE_INT_RGB), 1, 1, true)))
        .as("interlaced")
        .isNull();
    assertThat(CifarPngDecoder.decode(png(image(1, 32, BufferedImage.TYPE_INT_RGB), 5, 1, false)))
        .as("filter 5")
        .isNull();
    for (int cut = 0; cut < good.length; cut += 7) {
      assertThat(CifarPngDecoder.decode(Arrays.copyOf(good, cut)))
          .as("first %d bytes", cut)
          .isNull();
    }
    assertThat(CifarPngDecoder.decode(Arrays.copyOf(good, good.length + 1)))
        .as("trailing byte")
        .isNull();
    for (int at = 8; at < good.length; at += 5) {
      byte[] flipped = good.clone();
      flipped[at] ^= 0x10;
      assertThat(CifarPngDecoder.decode(flipped)).as("bit flipped at %d", at).isNull();
    }
    byte[] withText =
        insertChunk(good, "tEXt", "Comment\0hello".getBytes(StandardCharsets.ISO_8859_1));
    assertThat(ImageIO.read(new ByteArrayInputStream(withText))).isNotNull();
    assertThat(CifarPngDecoder.decode(withText)).isNull();
  }

  /** Encodes a 32x32 RGB PNG with one filter on every row, the data split into chunks. */
  private static byte[] png(BufferedImage image, int filter, int idatChunks, boolean interlaced) {
    int side = image.getWidth();
    int stride = 3 * side;
    byte[] raw = new byte[side * (1 + stride)];
    int[] previous = new int[stride];
    int[] row = new int[stride];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int rgb = image.getRGB(x, y);
        row[3 * x] = rgb >> 16 & 0xFF;
        row[3 * x + 1] = rgb >> 8 & 0xFF;
        row[3 * x + 2] = rgb & 0xFF;
      }
      raw[y * (1 + stride)] = (byte) filter;
      for (int i = 0; i < stride; i++) {
        int left = i >= 3 ? row[i - 3] : 0;
        int up = previous[i];
        int upLeft = i >= 3 ? previous[i - 3] : 0;
        int predictor =
            switch (filter) {
              case 1 -> left;
              case 2 -> up;
              case 3 -> (left + up) / 2;
              case 4 -> CifarPngDecoder.paeth(left, up, upLeft);
              default -> 0;
            };
        raw[y * (1 + stride) + 1 + i] = (byte) (row[i] - predictor);
      }
      int[] swap = previous;
      previous = row;
      row = swap;
    }
    Deflater deflater = new Deflater();
    deflater.setInput(raw);
    deflater.finish();
    byte[] buffer = new byte[raw.length * 2 + 64];
    int n = deflater.deflate(buffer);
    deflater.end();
    byte[] zlib = Arrays.copyOf(buffer, n);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    out.writeBytes(
        chunk(
            "IHDR",
            ByteBuffer.allocate(13)
                .putInt(side)
                .putInt(side)
                .put(new byte[] {8, 2, 0, 0, (byte) (interlaced ? 1 : 0)})
                .array()));
    int part = (zlib.length + idatChunks - 1) / idatChunks;
    for (int from = 0; from < zlib.length; from += part) {
      out.writeBytes(
          chunk("IDAT", Arrays.copyOfRange(zlib, from, Math.min(zlib.length, from + part))));
    }
    out.writeBytes(chunk("IEND", new byte[0]));
    return out.toByteArray();
  }

  private static byte[] insertChunk(byte[] png, String type, byte[] data) {
    int afterHeader = 8 + 12 + 13;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, afterHeader);
    out.writeBytes(chunk(type, data));
    out.write(png, afterHeader, png.length - afterHeader);
    return out.toByteArray();
  }

  private static byte[] chunk(String type, byte[] data) {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length)
        .putInt(data.length)
        .put(name)
        .put(data)
        .putInt((int) crc.getValue())
        .array();
  }
}
