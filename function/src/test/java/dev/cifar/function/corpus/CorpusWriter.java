package dev.cifar.function.corpus;

import dev.cifar.data.ImageConversion;
import dev.cifar.testing.SyntheticCifar;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes the hostile-request corpus under {@code src/test/resources/bad-requests/}: one {@code
 * .http} file per request, with the status and the error fragment it must get (see {@link
 * CorpusCase}). To regenerate it after changing a case, from {@code function/}: {@code mvn
 * test-compile dependency:build-classpath -Dcifar.skip -Dmdep.includeScope=test
 * -Dmdep.outputFile=target/cp.txt}, then {@code java -cp target/test-classes:target/classes:$(cat
 * target/cp.txt) dev.cifar.function.corpus.CorpusWriter src/test/resources/bad-requests}.
 */
public final class CorpusWriter {

  private final Path dir;
  private int n;

  private CorpusWriter(Path dir) {
    this.dir = dir;
  }

  /**
   * Writes the corpus.
   *
   * @param args the target directory
   * @throws IOException when writing fails
   */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/bad-requests");
    Files.createDirectories(dir);
    try (var old = Files.list(dir)) {
      for (Path p : old.filter(p -> p.toString().endsWith(".http")).toList()) {
        Files.delete(p);
      }
    }
    new CorpusWriter(dir).writeAll();
  }

  private void writeAll() throws IOException {
    String pixels = pixels(3072, 7);
    BufferedImage rgb = sample(64, 64);
    byte[] png = encode(rgb, "png");
    byte[] jpeg = encode(rgb, "jpeg");

    // JSON that is not a request
    bad("empty-body", "/predict", "", 400, "empty request");
    bad("json-null", "/predict", "null", 400, "empty request");
    bad("json-empty-object", "/predict", "{}", 400, "exactly one of 'image'");
    bad("json-truncated", "/predict", "{\"image\":", 400, "not valid JSON");
    bad("json-unclosed-object", "/predict", "{\"image\":\"abc\"", 400, "not valid JSON");
    bad("json-array", "/predict", "[1,2,3]", 400, "not valid JSON");
    bad("json-string", "/predict", "\"just a string\"", 400, "not valid JSON");
    bad("json-number", "/predict", "123", 400, "not valid JSON");
    bad("json-garbage", "/predict", "not json at all", 400, "not valid JSON");
    bad("json-trailing-comma", "/predict", "{\"pixels\":[1,2,],}", 400, "not valid JSON");
    bad("json-single-quotes", "/predict", "{'image':'abc'}", 400, "not valid JSON");
    bad(
        "json-deeply-nested",
        "/predict",
        "{\"image\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
        400,
        "request.image must be a string, not an array");
    badBytes(
        "json-invalid-utf8",
        "/predict",
        new byte[] {'{', '"', 'i', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'},
        "application/json",
        400,
        "");
    // wrong types
    bad(
        "type-image-object",
        "/predict",
        "{\"image\":{\"a\":1}}",
        400,
        "request.image must be a string, not an object");
    bad(
        "type-image-array",
        "/predict",
        "{\"image\":[\"a\"]}",
        400,
        "request.image must be a string, not an array");
    bad(
        "type-image-boolean",
        "/predict",
        "{\"image\":true}",
        400,
        "request.image must be a string, not a boolean");
    bad(
        "type-image-number",
        "/predict",
        "{\"image\":12345}",
        400,
        "request.image must be a string, not a whole number");
    bad(
        "type-pixels-string",
        "/predict",
        "{\"pixels\":\"abc\"}",
        400,
        "request.pixels must be an array of whole numbers, not a string");
    bad(
        "type-pixels-object",
        "/predict",
        "{\"pixels\":{}}",
        400,
        "request.pixels must be an array of whole numbers, not an object");
    bad(
        "type-pixels-mixed",
        "/predict",
        "{\"pixels\":[1,2,\"x\"]}",
        400,
        "request.pixels[2] must be a whole number, not a string");
    bad(
        "type-pixels-nested",
        "/predict",
        "{\"pixels\":[[1,2],[3]]}",
        400,
        "request.pixels[0] must be a whole number, not an array");
    bad(
        "type-top-string",
        "/predict",
        "{\"pixels\":" + pixels + ",\"top\":\"x\"}",
        400,
        "request.top must be a whole number, not a string");
    bad(
        "type-top-overflow",
        "/predict",
        "{\"pixels\":" + pixels + ",\"top\":1e20}",
        400,
        "request.top must be a whole number, not a decimal number");
    // empty and huge strings
    bad("image-empty-string", "/predict", "{\"image\":\"\"}", 400, "image is empty");
    bad("image-blank-string", "/predict", "{\"image\":\"   \"}", 400, "image is empty");
    bad(
        "image-empty-data-url",
        "/predict",
        "{\"image\":\"data:image/png;base64,\"}",
        400,
        "image is empty");
    fill(
        "image-over-byte-limit",
        "/predict",
        "{\"image\":\"{fill}\"}",
        'A',
        600_000,
        400,
        "cifar.max-image-bytes");
    fill(
        "body-over-size-limit",
        "/predict",
        "{\"image\":\"{fill}\"}",
        'A',
        40_000_000,
        413,
        "larger than the limit");
    // base64
    bad(
        "base64-invalid-chars",
        "/predict",
        "{\"image\":\"!!!not base64!!!\"}",
        400,
        "not valid base64");
    bad(
        "base64-invalid-data-url",
        "/predict",
        "{\"image\":\"data:image/png;base64,@@@@\"}",
        400,
        "not valid base64");
    bad(
        "base64-of-text",
        "/predict",
        image(b64("hello, this is text, not an image".getBytes(StandardCharsets.UTF_8))),
        400,
        "not a PNG, JPEG, GIF or BMP");
    bad(
        "base64-of-pdf",
        "/predict",
        image(b64("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n".getBytes(StandardCharsets.UTF_8))),
        400,
        "not a PNG, JPEG, GIF or BMP");
    bad(
        "base64-of-zip",
        "/predict",
        image(b64(new byte[] {'P', 'K', 3, 4, 20, 0, 0, 0, 0, 0})),
        400,
        "not a PNG, JPEG, GIF or BMP");
    bad(
        "image-tiff",
        "/predict",
        image(b64(encode(rgb, "tiff"))),
        400,
        "send PNG, JPEG, GIF or BMP");
    // broken images
    bad(
        "png-truncated-half",
        "/predict",
        image(b64(Arrays.copyOf(png, png.length / 2))),
        400,
        "could not be decoded");
    bad("png-signature-only", "/predict", image(b64(Arrays.copyOf(png, 8))), 400, "request.image");
    bad(
        "png-header-only",
        "/predict",
        image(b64(Arrays.copyOf(png, 33))),
        400,
        "could not be decoded");
    bad("png-corrupt-data", "/predict", image(b64(corrupt(png, 60))), 400, "could not be decoded");
    bad(
        "jpeg-truncated-half",
        "/predict",
        image(b64(Arrays.copyOf(jpeg, jpeg.length / 2))),
        400,
        "truncated or corrupt");
    bad(
        "jpeg-header-only",
        "/predict",
        image(b64(Arrays.copyOf(jpeg, 20))),
        400,
        "could not be decoded");
    good("jpeg-cmyk", cmykJpeg(48)); // read in its colours (TwelveMonkeys)
    bad("gif-animated", "/predict", image(b64(animatedGif())), 400, "animated GIF");
    bad(
        "gif-truncated",
        "/predict",
        image(b64(Arrays.copyOf(encode(rgb, "gif"), 30))),
        400,
        "request.image");
    bad(
        "bmp-truncated",
        "/predict",
        image(b64(Arrays.copyOf(encode(rgb, "bmp"), 100))),
        400,
        "could not be decoded");
    // sizes
    bad("png-zero-size", "/predict", image(b64(pngHeader(0, 0))), 400, "request.image");
    bad("png-1x1", "/predict", image(b64(encode(sample(1, 1), "png"))), 400, "at least 8x8");
    bad("png-4x100", "/predict", image(b64(encode(sample(4, 100), "png"))), 400, "at least 8x8");
    bad(
        "png-bomb-20000x20000",
        "/predict",
        image(b64(pngHeader(20000, 20000))),
        400,
        "20000x20000");
    bad(
        "png-bomb-65535x65535",
        "/predict",
        image(b64(pngHeader(65535, 65535))),
        400,
        "cifar.max-pixels");
    bad(
        "gif-bomb-65535x65535",
        "/predict",
        image(b64(gifHeader(65535, 65535))),
        400,
        "cifar.max-pixels");
    bad(
        "bmp-bomb-30000x30000",
        "/predict",
        image(b64(bmpHeader(30000, 30000))),
        400,
        "request.image");
    bad(
        "jpeg-bomb-30000x30000",
        "/predict",
        image(b64(jpegWithSize(jpeg, 30000, 30000))),
        400,
        "cifar.max-pixels");
    // pixels
    bad("pixels-empty", "/predict", "{\"pixels\":[]}", 400, "has 0 values");
    bad("pixels-3071", "/predict", "{\"pixels\":" + pixels(3071, 1) + "}", 400, "has 3071 values");
    bad("pixels-3073", "/predict", "{\"pixels\":" + pixels(3073, 1) + "}", 400, "has 3073 values");
    bad(
        "pixels-negative",
        "/predict",
        "{\"pixels\":" + pixels.replaceFirst("\\d+", "-1") + "}",
        400,
        "pixels[0] is -1");
    bad(
        "pixels-256",
        "/predict",
        "{\"pixels\":" + pixels.replaceFirst("\\d+", "256") + "}",
        400,
        "pixels[0] is 256");
    bad(
        "pixels-and-image",
        "/predict",
        "{\"pixels\":" + pixels + ",\"image\":\"" + b64(png) + "\"}",
        400,
        "not both");
    // top
    bad("top-zero", "/predict", "{\"pixels\":" + pixels + ",\"top\":0}", 400, "top is 0");
    bad("top-negative", "/predict", "{\"pixels\":" + pixels + ",\"top\":-1}", 400, "top is -1");
    bad("top-too-large", "/predict", "{\"pixels\":" + pixels + ",\"top\":11}", 400, "top is 11");
    bad(
        "top-huge",
        "/predict",
        "{\"pixels\":" + pixels + ",\"top\":2147483647}",
        400,
        "top is 2147483647");
    // unknown fields
    bad(
        "unknown-field",
        "/predict",
        "{\"pixels\":" + pixels + ",\"tpo\":3}",
        400,
        "unknown field(s) [tpo]");
    bad(
        "unknown-field-only",
        "/predict",
        "{\"url\":\"http://example.org/cat.png\"}",
        400,
        "unknown field(s) [url]");
    bad(
        "unknown-field-path",
        "/predict",
        "{\"file\":\"/etc/passwd\"}",
        400,
        "unknown field(s) [file]");
    // batches
    bad("batch-empty-object", "/predictBatch", "{}", 400, "the batch is empty");
    bad("batch-empty-list", "/predictBatch", "{\"images\":[]}", 400, "the batch is empty");
    bad(
        "batch-null-list",
        "/predictBatch",
        "{\"images\":null}",
        400,
        "images must be an array, not null");
    bad(
        "batch-not-a-list",
        "/predictBatch",
        "{\"images\":\"x\"}",
        400,
        "images must be an array, not a string");
    bad("batch-null-item", "/predictBatch", "{\"images\":[null]}", 400, "images[0] is missing");
    bad(
        "batch-bad-item",
        "/predictBatch",
        "{\"images\":[{\"pixels\":" + pixels + "},{\"pixels\":[1]}]}",
        400,
        "images[1].pixels has 1 values");
    bad(
        "batch-bomb-item",
        "/predictBatch",
        "{\"images\":[{\"pixels\":"
            + pixels
            + "},{\"image\":\""
            + b64(pngHeader(20000, 20000))
            + "\"}]}",
        400,
        "images[1].image is 20000x20000");
    bad(
        "batch-top-zero",
        "/predictBatch",
        "{\"images\":[{\"pixels\":" + pixels + "}],\"top\":0}",
        400,
        "top is 0");
    bad(
        "batch-unknown-field",
        "/predictBatch",
        "{\"images\":[{\"pixels\":" + pixels + "}],\"size\":2}",
        400,
        "unknown field(s) [size]");
    StringBuilder many = new StringBuilder("{\"images\":[");
    for (int i = 0; i < 65; i++) {
      many.append(i == 0 ? "" : ",").append("{\"pixels\":").append(pixels).append('}');
    }
    bad("batch-oversized", "/predictBatch", many.append("]}").toString(), 400, "cifar.max-batch");
    // protocol
    badBytes(
        "content-type-text",
        "/predict",
        ("{\"pixels\":" + pixels + "}").getBytes(StandardCharsets.UTF_8),
        "text/plain",
        415,
        "Content-Type: application/json");
    badBytes(
        "content-type-form",
        "/predict",
        ("{\"pixels\":" + pixels + "}").getBytes(StandardCharsets.UTF_8),
        "application/x-www-form-urlencoded",
        415,
        "Content-Type: application/json");
    badBytes(
        "content-type-xml",
        "/predict",
        "<image/>".getBytes(StandardCharsets.UTF_8),
        "application/xml",
        415,
        "Content-Type: application/json");
    // a raw image body is an upload now (see the uploads below)
    write("content-type-png", "POST", "/predict", "image/png", png, null, 200, "");
    write(
        "method-put",
        "PUT",
        "/predict",
        "application/json",
        "{}".getBytes(StandardCharsets.UTF_8),
        null,
        405,
        "POST");
    write(
        "unknown-function",
        "POST",
        "/train",
        "application/json",
        "{}".getBytes(StandardCharsets.UTF_8),
        null,
        404,
        "no function at /train");

    // legitimate odd images: accepted and classified
    good("ok-png-grayscale", encode(convert(rgb, BufferedImage.TYPE_BYTE_GRAY), "png"));
    good("ok-png-rgba", encode(convert(rgb, BufferedImage.TYPE_INT_ARGB), "png"));
    good("ok-png-palette", encode(convert(rgb, BufferedImage.TYPE_BYTE_INDEXED), "png"));
    good("ok-png-16bit-gray", encode(convert(rgb, BufferedImage.TYPE_USHORT_GRAY), "png"));
    good("ok-png-16bit-rgb", encode(rgb16(rgb), "png"));
    good("ok-png-gray-alpha", encode(grayAlpha(rgb), "png"));
    good("ok-png-8x8", encode(sample(8, 8), "png"));
    good("ok-png-large-1000x700", encode(sample(1000, 700), "png"));
    good("ok-png-wide-160x16", encode(sample(160, 16), "png"));
    good("ok-jpeg-grayscale", encode(convert(rgb, BufferedImage.TYPE_BYTE_GRAY), "jpeg"));
    good("ok-jpeg-progressive", progressiveJpeg(rgb));
    good("ok-gif-still", encode(rgb, "gif"));
    good("ok-bmp-24bit", encode(rgb, "bmp"));
    good("ok-bmp-palette", encode(convert(rgb, BufferedImage.TYPE_BYTE_INDEXED), "bmp"));
    good("ok-data-url", "data:image/png;base64," + b64(png));
    good("ok-base64-with-newlines", Base64.getMimeEncoder().encodeToString(png));

    // strict JSON: no coercion, the field named
    bad(
        "type-top-null",
        "/predict",
        "{\"pixels\":" + pixels + ",\"top\":null}",
        400,
        "request.top must be a whole number, not null");
    bad(
        "type-top-boolean",
        "/predict",
        "{\"pixels\":" + pixels + ",\"top\":true}",
        400,
        "request.top must be a whole number, not a boolean");
    bad(
        "type-top-decimal",
        "/predict",
        "{\"pixels\":" + pixels + ",\"top\":2.5}",
        400,
        "request.top must be a whole number, not a decimal number");
    bad(
        "type-top-numeric-string",
        "/predict",
        "{\"pixels\":" + pixels + ",\"top\":\"3\"}",
        400,
        "request.top must be a whole number, not a string");
    bad(
        "type-pixels-null-item",
        "/predict",
        "{\"pixels\":[null," + pixels.substring(1) + "}",
        400,
        "request.pixels[0] must be a whole number, not null");
    bad(
        "type-image-null",
        "/predict",
        "{\"image\":null}",
        400,
        "request.image must be a string, not null");
    bad(
        "batch-top-string",
        "/predictBatch",
        "{\"images\":[{\"pixels\":" + pixels + "}],\"top\":\"2\"}",
        400,
        "top must be a whole number, not a string");
    bad(
        "batch-item-top",
        "/predictBatch",
        "{\"images\":[{\"pixels\":" + pixels + ",\"top\":2}]}",
        400,
        "images[0].top: give top once");

    // raw image bodies
    write("raw-jpeg", "POST", "/predict?top=3", "image/jpeg", jpeg, null, 200, "");
    write(
        "raw-octet-stream-png", "POST", "/predict", "application/octet-stream", png, null, 200, "");
    badBytes(
        "raw-declared-png-holds-jpeg",
        "/predict",
        jpeg,
        "image/png",
        400,
        "declared as image/png but holds a jpeg");
    badBytes("raw-empty", "/predict", new byte[0], "image/png", 400, "the request body is empty");
    badBytes(
        "raw-text",
        "/predict",
        "hello".getBytes(StandardCharsets.UTF_8),
        "application/octet-stream",
        400,
        "not a PNG, JPEG, GIF or BMP");
    badBytes(
        "raw-truncated-png",
        "/predict",
        Arrays.copyOf(png, png.length / 2),
        "image/png",
        400,
        "could not be decoded");
    write("raw-cmyk-jpeg", "POST", "/predict", "image/jpeg", cmykJpeg(48), null, 200, "");
    badBytes("raw-bomb", "/predict", pngHeader(20000, 20000), "image/png", 400, "20000x20000");
    write(
        "raw-oversized",
        "POST",
        "/predict",
        "application/octet-stream",
        "{fill}".getBytes(StandardCharsets.UTF_8),
        "A 300001",
        413,
        "cifar.max-image-bytes");
    badBytes("raw-to-batch", "/predictBatch", png, "image/png", 415, "multipart/form-data");
    badBytes("raw-tiff", "/predict", png, "image/tiff", 415, "image/png");
    badBytes(
        "raw-top-text", "/predict?top=three", png, "image/png", 400, "top must be a whole number");
    badBytes("raw-top-zero", "/predict?top=0", png, "image/png", 400, "top is 0");
    badBytes(
        "raw-unknown-query",
        "/predict?tpo=3",
        png,
        "image/png",
        400,
        "unknown query parameter(s) [tpo]");

    // multipart/form-data
    form("form-image", "/predict", 200, "", Form.file("image", "cat.png", "image/png", png));
    form("form-only-file", "/predict", 200, "", Form.file("photo", "cat.jpg", "image/jpeg", jpeg));
    form(
        "form-two-files",
        "/predict",
        400,
        "none named 'image'",
        Form.file("a", "a.png", "image/png", png),
        Form.file("b", "b.png", "image/png", png));
    form("form-no-file", "/predict", 400, "no image file", Form.field("top", "2"));
    form(
        "form-unknown-field",
        "/predict",
        400,
        "unknown field(s) [colour]",
        Form.file("image", "a.png", "image/png", png),
        Form.field("colour", "red"));
    form(
        "form-top-twice",
        "/predict?top=2",
        400,
        "more than once",
        Form.file("image", "a.png", "image/png", png),
        Form.field("top", "2"));
    form(
        "form-top-text",
        "/predict",
        400,
        "top must be a whole number",
        Form.file("image", "a.png", "image/png", png),
        Form.field("top", "many"));
    form(
        "form-text-file",
        "/predict",
        400,
        "declared as text/plain",
        Form.file("image", "notes.txt", "text/plain", "hello".getBytes(StandardCharsets.UTF_8)));
    form(
        "form-corrupt-image",
        "/predict",
        400,
        "file 'bad.png'",
        Form.file("image", "bad.png", "image/png", corrupt(png, 60)));
    form(
        "form-bomb",
        "/predictBatch",
        400,
        "20000x20000",
        Form.file("images", "a.png", "image/png", png),
        Form.file("images", "bomb.png", "image/png", pngHeader(20000, 20000)));
    form(
        "form-oversized-file",
        "/predict",
        413,
        "file 'big.bin' is over",
        Form.file("image", "big.bin", "application/octet-stream", new byte[300_001]));
    Form.Part[] tooMany = new Form.Part[9];
    Arrays.fill(tooMany, Form.file("images", "a.png", "image/png", png));
    form("form-batch-too-many", "/predictBatch", 400, "cifar.max-batch", tooMany);
    form("form-batch-empty", "/predictBatch", 400, "no image files", Form.field("top", "2"));
    badBytes("form-no-boundary", "/predict", png, "multipart/form-data", 400, "has no boundary");
    byte[] whole = Form.body(Form.file("image", "cat.png", "image/png", png));
    badBytes(
        "form-truncated",
        "/predict",
        Arrays.copyOf(whole, whole.length - 40),
        Form.CONTENT_TYPE,
        400,
        "multipart/form-data body could not be read");
    badBytes(
        "form-garbage",
        "/predict",
        ("--" + Form.BOUNDARY + "\r\nno headers, no end").getBytes(StandardCharsets.UTF_8),
        Form.CONTENT_TYPE,
        400,
        "no image file");

    // the Open Inference Protocol
    String v2 = "/v2/models/cifar10/infer";
    String tensor = "{\"name\":\"pixels\",\"datatype\":\"UINT8\",\"shape\":[1,3,32,32],\"data\":";
    bad("v2-ok-pixels", v2, "{\"inputs\":[" + tensor + pixels + "}]}", 200, "");
    bad(
        "v2-ok-images",
        v2,
        "{\"inputs\":[{\"name\":\"images\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\""
            + b64(png)
            + "\"]}]}",
        200,
        "");
    bad("v2-empty-body", v2, "", 400, "empty request");
    bad("v2-not-json", v2, "{\"inputs\":[", 400, "not valid JSON");
    bad("v2-no-inputs", v2, "{\"inputs\":[]}", 400, "exactly one tensor");
    bad(
        "v2-shape-lies-short",
        v2,
        "{\"inputs\":[" + tensor + "[1,2,3]}]}",
        400,
        "has 3 elements; shape [1, 3, 32, 32] needs 3072");
    bad(
        "v2-shape-lies-batch",
        v2,
        "{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"UINT8\",\"shape\":[4,3,32,32],\"data\":"
            + pixels
            + "}]}",
        400,
        "needs 12288");
    bad(
        "v2-shape-huge",
        v2,
        "{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"UINT8\",\"shape\":[9223372036854775807,3,32,32],\"data\":[1]}]}",
        400,
        "cifar.max-batch");
    bad(
        "v2-shape-negative",
        v2,
        "{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"UINT8\",\"shape\":[-1,3,32,32],\"data\":[1]}]}",
        400,
        "cifar.max-batch");
    bad(
        "v2-datatype-fp32",
        v2,
        "{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"FP32\",\"shape\":[1,3,32,32],\"data\":"
            + pixels
            + "}]}",
        400,
        "it must be UINT8");
    bad(
        "v2-datatype-unknown",
        v2,
        "{\"inputs\":[{\"name\":\"images\",\"datatype\":\"STRING\",\"shape\":[1],\"data\":[\"x\"]}]}",
        400,
        "it must be BYTES");
    bad(
        "v2-value-over-255",
        v2,
        "{\"inputs\":[" + tensor + "[300" + pixels.substring(pixels.indexOf(',')) + "}]}",
        400,
        "data[0] is 300");
    bad(
        "v2-value-decimal",
        v2,
        "{\"inputs\":[" + tensor + "[1.5" + pixels.substring(pixels.indexOf(',')) + "}]}",
        400,
        "not 1.5");
    bad(
        "v2-value-null",
        v2,
        "{\"inputs\":[" + tensor + "[null" + pixels.substring(pixels.indexOf(',')) + "}]}",
        400,
        "data[0] must be a whole number");
    bad(
        "v2-bytes-not-base64",
        v2,
        "{\"inputs\":[{\"name\":\"images\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\"@@\"]}]}",
        400,
        "inputs[0].data[0] is not valid base64");
    bad(
        "v2-bytes-bomb",
        v2,
        "{\"inputs\":[{\"name\":\"images\",\"datatype\":\"BYTES\",\"shape\":[1],\"data\":[\""
            + b64(pngHeader(20000, 20000))
            + "\"]}]}",
        400,
        "20000x20000");
    bad(
        "v2-binary-data",
        v2,
        "{\"inputs\":[{\"name\":\"pixels\",\"datatype\":\"UINT8\",\"shape\":[1,3,32,32],\"parameters\":{\"binary_data_size\":3072},\"data\":[]}]}",
        400,
        "binary tensor data is not supported");
    bad(
        "v2-unknown-output",
        v2,
        "{\"inputs\":[" + tensor + pixels + "}],\"outputs\":[{\"name\":\"logits\"}]}",
        400,
        "outputs[0].name is 'logits'");
    bad(
        "v2-classification-text",
        v2,
        "{\"inputs\":["
            + tensor
            + pixels
            + "}],\"outputs\":[{\"name\":\"probabilities\",\"parameters\":{\"classification\":\"3\"}}]}",
        400,
        "classification is \"3\"");
    bad(
        "v2-unknown-model",
        "/v2/models/imagenet/infer",
        "{\"inputs\":[" + tensor + pixels + "}]}",
        404,
        "no model 'imagenet'");
    bad(
        "v2-unknown-version",
        "/v2/models/cifar10/versions/1/infer",
        "{\"inputs\":[" + tensor + pixels + "}]}",
        404,
        "no version '1'");
    badBytes(
        "v2-text-body",
        v2,
        "inputs".getBytes(StandardCharsets.UTF_8),
        "text/plain",
        415,
        "Content-Type: application/json");
    write("v2-get-infer", "GET", v2, null, new byte[0], null, 404, "no route");
  }

  private void form(String name, String path, int status, String error, Form.Part... parts)
      throws IOException {
    write(name, "POST", path, Form.CONTENT_TYPE, Form.body(parts), null, status, error);
  }

  private void bad(String name, String path, String json, int status, String error)
      throws IOException {
    badBytes(name, path, json.getBytes(StandardCharsets.UTF_8), "application/json", status, error);
  }

  private void badBytes(
      String name, String path, byte[] body, String type, int status, String error)
      throws IOException {
    write(name, "POST", path, type, body, null, status, error);
  }

  private void fill(
      String name, String path, String template, char c, int count, int status, String error)
      throws IOException {
    write(
        name,
        "POST",
        path,
        "application/json",
        template.getBytes(StandardCharsets.UTF_8),
        c + " " + count,
        status,
        error);
  }

  private void good(String name, byte[] image) throws IOException {
    good(name, b64(image));
  }

  private void good(String name, String image) throws IOException {
    write(
        name,
        "POST",
        "/predict",
        "application/json",
        ("{\"image\":\"" + image.replace("\r\n", "\\r\\n") + "\"}")
            .getBytes(StandardCharsets.UTF_8),
        null,
        200,
        "");
  }

  private void write(
      String name,
      String method,
      String path,
      String type,
      byte[] body,
      String fill,
      int status,
      String error)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(path).append('\n');
    if (type != null) {
      head.append("Content-Type: ").append(type).append('\n');
    }
    if (fill != null) {
      head.append("Fill: ").append(fill).append('\n');
    }
    head.append("Expect-Status: ").append(status).append('\n');
    if (!error.isEmpty()) {
      head.append("Expect-Error: ").append(error).append('\n');
    }
    head.append('\n');
    out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    out.writeBytes(body);
    n++;
    Files.write(
        dir.resolve(String.format(Locale.ROOT, "%03d-%s.http", n, name)), out.toByteArray());
  }

  private static String image(String base64) {
    return "{\"image\":\"" + base64 + "\"}";
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static String pixels(int count, long seed) {
    Random r = new Random(seed);
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < count; i++) {
      s.append(i == 0 ? "" : ",").append(r.nextInt(256));
    }
    return s.append(']').toString();
  }

  static BufferedImage sample(int w, int h) {
    BufferedImage small = ImageConversion.toImage(SyntheticCifar.image(3, new Random(1)));
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    var g = out.createGraphics();
    g.drawImage(small, 0, 0, w, h, null);
    g.dispose();
    return out;
  }

  private static BufferedImage convert(BufferedImage src, int type) {
    BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), type);
    var g = out.createGraphics();
    g.drawImage(src, 0, 0, null);
    g.dispose();
    return out;
  }

  private static BufferedImage rgb16(BufferedImage src) {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = cm.createCompatibleWritableRaster(src.getWidth(), src.getHeight());
    for (int y = 0; y < src.getHeight(); y++) {
      for (int x = 0; x < src.getWidth(); x++) {
        int rgb = src.getRGB(x, y);
        raster.setPixel(
            x,
            y,
            new int[] {(rgb >> 16 & 0xFF) * 257, (rgb >> 8 & 0xFF) * 257, (rgb & 0xFF) * 257});
      }
    }
    return new BufferedImage(cm, raster, false, null);
  }

  private static BufferedImage grayAlpha(BufferedImage src) {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_BYTE);
    WritableRaster raster = cm.createCompatibleWritableRaster(src.getWidth(), src.getHeight());
    for (int y = 0; y < src.getHeight(); y++) {
      for (int x = 0; x < src.getWidth(); x++) {
        int rgb = src.getRGB(x, y);
        int gray = ((rgb >> 16 & 0xFF) + (rgb >> 8 & 0xFF) + (rgb & 0xFF)) / 3;
        raster.setPixel(x, y, new int[] {gray, 200});
      }
    }
    return new BufferedImage(cm, raster, false, null);
  }

  static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(image, format, out)) {
      throw new IOException("no " + format + " writer for " + image);
    }
    return out.toByteArray();
  }

  private static byte[] progressiveJpeg(BufferedImage image) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.write(null, new IIOImage(image, null, null), param);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static byte[] cmykJpeg(int side) throws IOException {
    WritableRaster raster =
        Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, side, side, 4, null);
    Random r = new Random(3);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        raster.setPixel(
            x, y, new int[] {r.nextInt(256), r.nextInt(256), r.nextInt(256), r.nextInt(256)});
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static byte[] animatedGif() throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.prepareWriteSequence(null);
      BufferedImage a = convert(sample(32, 32), BufferedImage.TYPE_BYTE_INDEXED);
      BufferedImage b = convert(sample(32, 32), BufferedImage.TYPE_BYTE_INDEXED);
      var spec = ImageTypeSpecifier.createFromRenderedImage(a);
      writer.writeToSequence(
          new IIOImage(a, null, writer.getDefaultImageMetadata(spec, null)), null);
      writer.writeToSequence(
          new IIOImage(b, null, writer.getDefaultImageMetadata(spec, null)), null);
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /**
   * Makes a PNG whose header declares a size, with no image data behind it.
   *
   * @param width the declared width
   * @param height the declared height
   * @return the PNG bytes
   */
  public static byte[] pngHeader(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    chunk(
        out,
        "IHDR",
        ByteBuffer.allocate(13)
            .putInt(width)
            .putInt(height)
            .put((byte) 8)
            .put((byte) 2)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0)
            .array());
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static byte[] gifHeader(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(13 + 10).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put("GIF89a".getBytes(StandardCharsets.US_ASCII))
        .putShort((short) width)
        .putShort((short) height)
        .put((byte) 0)
        .put((byte) 0)
        .put((byte) 0);
    b.put((byte) 0x2C)
        .putShort((short) 0)
        .putShort((short) 0)
        .putShort((short) width)
        .putShort((short) height)
        .put((byte) 0);
    return Arrays.copyOf(b.array(), b.position());
  }

  private static byte[] bmpHeader(int width, int height) {
    ByteBuffer b = ByteBuffer.allocate(54).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'B').put((byte) 'M').putInt(54).putInt(0).putInt(54);
    b.putInt(40)
        .putInt(width)
        .putInt(height)
        .putShort((short) 1)
        .putShort((short) 24)
        .putInt(0)
        .putInt(0)
        .putInt(2835)
        .putInt(2835)
        .putInt(0)
        .putInt(0);
    return b.array();
  }

  private static byte[] jpegWithSize(byte[] jpeg, int width, int height) {
    byte[] out = jpeg.clone();
    for (int i = 2; i + 9 < out.length; i++) {
      if ((out[i] & 0xFF) == 0xFF && ((out[i + 1] & 0xFF) == 0xC0 || (out[i + 1] & 0xFF) == 0xC2)) {
        out[i + 5] = (byte) (height >> 8);
        out[i + 6] = (byte) height;
        out[i + 7] = (byte) (width >> 8);
        out[i + 8] = (byte) width;
        return out;
      }
    }
    throw new IllegalStateException("no SOF marker");
  }

  private static byte[] corrupt(byte[] png, int from) {
    byte[] out = png.clone();
    for (int i = from; i < out.length - 20; i += 3) {
      out[i] ^= 0x5A;
    }
    return out;
  }
}
