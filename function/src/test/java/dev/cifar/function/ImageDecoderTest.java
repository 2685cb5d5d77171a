package dev.cifar.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** What the decoder reads of uploads, without a server. */
class ImageDecoderTest {

  private static final ImageDecoder DECODER = new ImageDecoder(1 << 20, 1 << 22);

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ImageDecoderTest.class.getResourceAsStream("/images/" + name)) {
      return in.readAllBytes();
    }
  }

  /** Mean of one channel (0 red, 1 green, 2 blue) over columns [from, to) of a CIFAR image. */
  private static double mean(byte[] cifar, int channel, int from, int to) {
    long sum = 0;
    for (int y = 0; y < 32; y++) {
      for (int x = from; x < to; x++) {
        sum += cifar[channel * 1024 + y * 32 + x] & 0xFF;
      }
    }
    return sum / (32.0 * (to - from));
  }

  @Test
  void aCmykJpegIsReadInItsColours() throws IOException {
    // written by ImageMagick: rgb(220,30,30) on the left half, rgb(30,30,220) on the right, in CMYK
    byte[] cifar = DECODER.decodeUpload(resource("cmyk-red-blue.jpg"), "the request body", "jpeg");
    assertThat(mean(cifar, 0, 2, 14)).as("left red").isGreaterThan(170);
    assertThat(mean(cifar, 1, 2, 14)).as("left green").isLessThan(80);
    assertThat(mean(cifar, 2, 2, 14)).as("left blue").isLessThan(80);
    assertThat(mean(cifar, 2, 18, 30)).as("right blue").isGreaterThan(170);
    assertThat(mean(cifar, 0, 18, 30)).as("right red").isLessThan(80);
    assertThat(mean(cifar, 1, 18, 30)).as("right green").isLessThan(80);
  }

  @Test
  void anUploadIsTheSameImageAsItsBase64() {
    byte[] png = Base64.getDecoder().decode(TestImages.base64(3, "png", 40));
    assertThat(DECODER.decodeUpload(png, "file 'a.png'", null))
        .isEqualTo(DECODER.decode(new PredictRequest(TestImages.base64(3, "png", 40), null), "r"));
  }

  @Test
  void anUploadIsNamedInItsErrors() {
    byte[] png = Base64.getDecoder().decode(TestImages.base64(3, "png", 32));
    assertThatThrownBy(() -> DECODER.decodeUpload(png, "file 'a.gif'", "gif"))
        .isInstanceOf(BadRequestException.class)
        .hasMessage("file 'a.gif' is declared as image/gif but holds a png image");
    assertThatThrownBy(
            () -> DECODER.decodeUpload(new byte[(1 << 20) + 1], "the request body", null))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("cifar.max-image-bytes")
        .satisfies(e -> assertThat(((BadRequestException) e).status()).isEqualTo(413));
  }
}
