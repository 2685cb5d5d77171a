package dev.cifar.function;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Supplier;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzzes request parsing and image decoding with Jazzer: whatever the bytes, parsing either gives a
 * request or a Jackson error, and decoding (of JSON, of base64 and of uploaded bytes) either gives
 * 3072 bytes or a {@link BadRequestException}; any other exception, a hang or running out of memory
 * fails. The normal tests replay the seeds in {@code RequestFuzzTestInputs/} and fuzz for a short
 * while ({@code JAZZER_FUZZ=1}, see the POM); {@code bench/fuzz} runs it for long.
 */
class RequestFuzzTest {

  private static final ObjectMapper MAPPER = strict();
  private static final String[] DECLARED = {null, "png", "jpeg", "gif", "bmp"};

  private static ObjectMapper strict() {
    ObjectMapper mapper = new ObjectMapper();
    new StrictJson().customize(mapper);
    return mapper;
  }

  private static final ImageDecoder DECODER = new ImageDecoder(1 << 20, 1 << 22);

  @FuzzTest(maxDuration = "20s")
  void requestsNeverCrashTheDecoder(FuzzedDataProvider data) {
    fuzz(data);
  }

  /** The long run of {@code bench/fuzz}: enabled with {@code -Dcifar.fuzz.long=true}. */
  @FuzzTest(maxDuration = "60m")
  @EnabledIfSystemProperty(named = "cifar.fuzz.long", matches = "true")
  void requestsNeverCrashTheDecoderLongRun(FuzzedDataProvider data) {
    fuzz(data);
  }

  private static void fuzz(FuzzedDataProvider data) {
    if (data.consumeBoolean()) {
      byte[] json = data.consumeRemainingAsString().getBytes(StandardCharsets.UTF_8);
      PredictRequest request;
      try {
        request = StrictJson.read(MAPPER, json, PredictRequest.class, "request");
      } catch (BadRequestException expected) {
        return; // a clear 400 naming the field, or the broken JSON
      }
      check(() -> DECODER.decode(request, "request"));
    } else {
      // the same bytes as base64 in JSON and as an upload (a raw body or a form's file)
      byte[] bytes = data.consumeRemainingAsBytes();
      check(
          () ->
              DECODER.decode(
                  new PredictRequest(Base64.getEncoder().encodeToString(bytes), null), "request"));
      String declared = DECLARED[bytes.length % DECLARED.length];
      check(() -> DECODER.decodeUpload(bytes, "the request body", declared));
    }
  }

  private static void check(Supplier<byte[]> decode) {
    try {
      byte[] image = decode.get();
      if (image.length != 3072) {
        throw new AssertionError("decoded " + image.length + " bytes");
      }
    } catch (BadRequestException expected) {
      // a clear 400 (or 413)
    }
  }
}
