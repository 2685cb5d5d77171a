package dev.cifar.function;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Fuzzes request parsing and image decoding with Jazzer: whatever the bytes, parsing either gives a
 * request or a Jackson error, and decoding either gives 3072 bytes or a {@link
 * BadRequestException}; any other exception, a hang or running out of memory fails. The normal
 * tests replay the seeds in {@code RequestFuzzTestInputs/} and fuzz for a short while ({@code
 * JAZZER_FUZZ=1}, see the POM); {@code bench/fuzz} runs it for long.
 */
class RequestFuzzTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
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
    PredictRequest request;
    if (data.consumeBoolean()) {
      try {
        request = MAPPER.readValue(data.consumeRemainingAsString(), PredictRequest.class);
      } catch (JacksonException e) {
        return;
      }
    } else {
      request =
          new PredictRequest(
              Base64.getEncoder().encodeToString(data.consumeRemainingAsBytes()), null);
    }
    try {
      byte[] image = DECODER.decode(request, "request");
      if (image.length != 3072) {
        throw new AssertionError("decoded " + image.length + " bytes");
      }
    } catch (BadRequestException expected) {
      // a clear 400
    }
  }
}
