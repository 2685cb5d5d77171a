package dev.cifar.function;

import dev.cifar.testing.TrainedModels;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Trains a seed network on synthetic images (no real data, no network) and points the function at
 * it, with small limits so that the limit checks are cheap to exercise.
 */
public class SyntheticModel implements QuarkusTestResourceLifecycleManager {

  /** The batch limit the tests run with. */
  public static final int MAX_BATCH = 8;

  /** The request-body limit the tests run with: less than a batch of images at their limit. */
  public static final int MAX_BODY_BYTES = 2_000_000;

  /** The encoded-image limit the tests run with. */
  public static final int MAX_IMAGE_BYTES = 300_000;

  private Path dir;

  @Override
  public Map<String, String> start() {
    try {
      dir = Files.createTempDirectory("cifar-function-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path model = TrainedModels.writeSynthetic(dir.resolve("synthetic.zip"));
    return Map.of(
        "cifar.model", model.toString(),
        "cifar.max-batch", String.valueOf(MAX_BATCH),
        "cifar.max-image-bytes", String.valueOf(MAX_IMAGE_BYTES),
        "cifar.max-pixels", "4000000",
        "quarkus.http.limits.max-body-size", MAX_BODY_BYTES + "");
  }

  @Override
  public void stop() {
    try {
      Files.deleteIfExists(dir.resolve("synthetic.zip"));
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
