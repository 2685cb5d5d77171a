package dev.cifar.training;

import dev.cifar.data.Checksums;
import dev.cifar.network.Network;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The fingerprint of a training run's inputs: the code version, the network definition and its
 * version, every configuration value and the checksum of every data file. Two runs with the same
 * fingerprint produce the same model, so a build can skip the second.
 */
public final class Fingerprint {

  private static final String VERSION = loadVersion();

  private Fingerprint() {}

  /**
   * Computes a fingerprint.
   *
   * @param config the training configuration
   * @param dataChecksums checksum of every data file, by file name
   * @return a SHA-256, lower-case hex
   */
  public static String of(TrainingConfig config, Map<String, String> dataChecksums) {
    Network network = config.resolveNetwork();
    StringBuilder text = new StringBuilder("cifar-fingerprint 1\n");
    text.append("code ").append(VERSION).append('\n');
    text.append("network ")
        .append(network.name())
        .append(' ')
        .append(network.version())
        .append('\n');
    text.append("normalization ").append(network.normalization()).append('\n');
    new TreeMap<>(config.toMap())
        .forEach((k, v) -> text.append("config ").append(k).append('=').append(v).append('\n'));
    new TreeMap<>(dataChecksums)
        .forEach((k, v) -> text.append("data ").append(k).append('=').append(v).append('\n'));
    return Checksums.hex("SHA-256", text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Computes the key of a run for its checkpoints: like {@link #of} but over the images themselves
   * and without the length of the plan (the epochs and the warm-up in epochs), so that a finished
   * run can be trained further.
   *
   * @param config the training configuration
   * @param images the training images
   * @return a SHA-256, lower-case hex
   */
  public static String runKey(TrainingConfig config, dev.cifar.data.LabeledImages images) {
    Map<String, Object> settings = new TreeMap<>(config.toMap());
    // the length of the plan: a run trained further re-plans its schedule over the new total
    settings.remove("epochs");
    settings.remove("warmupEpochs");
    String text =
        "cifar-run 1\ncode "
            + VERSION
            + "\nnetwork "
            + config.resolveNetwork().version()
            + "\nconfig "
            + settings
            + "\nimages "
            + Checksums.hex("SHA-256", images.pixels())
            + "\nlabels "
            + Checksums.hex("SHA-256", images.labels())
            + "\nclasses "
            + images.classes()
            + "\n";
    return Checksums.hex("SHA-256", text.getBytes(StandardCharsets.UTF_8));
  }

  private static String loadVersion() {
    try (InputStream in =
        Fingerprint.class.getResourceAsStream("/dev/cifar/training-core.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
