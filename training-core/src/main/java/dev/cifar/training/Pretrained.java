package dev.cifar.training;

import dev.cifar.ConfigurationException;
import dev.cifar.artifact.ModelArtifact;
import dev.cifar.data.Checksums;
import dev.cifar.network.TorchScriptNetwork;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a run starts from instead of a fresh initialisation: the weights of an artifact of this
 * project ({@link #weights}) or a TorchScript module ({@link #torchScript}) that becomes the body
 * of a network with a new linear head.
 *
 * @param source the file, for messages
 * @param sha256 the file's checksum, part of the run's fingerprint
 * @param network the artifact's network, or {@code torchscript}
 * @param classes the artifact's classes; empty for TorchScript
 * @param parameters the artifact's parameters in DJL's format; {@code null} for TorchScript
 */
public record Pretrained(
    Path source, String sha256, String network, List<String> classes, byte[] parameters) {

  /** Checks the values. */
  public Pretrained {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(network, "network");
    classes = List.copyOf(classes);
  }

  /**
   * Reads the start of a fine-tuning run: a model artifact ({@code .zip}) or a TorchScript file
   * ({@code .pt}, {@code .pth}, {@code .torchscript}).
   *
   * @param file the file named by {@code cifar.pretrained}
   * @return the start
   * @throws dev.cifar.CifarException when the file is missing, unreadable or of another kind
   */
  public static Pretrained read(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".zip")) {
      ModelArtifact artifact = ModelArtifact.read(file);
      return weights(
          file,
          artifact.checksum(),
          artifact.metadata().serving().network(),
          artifact.metadata().serving().classes(),
          artifact.parameters());
    }
    if (name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".torchscript")) {
      return torchScript(file);
    }
    throw new ConfigurationException(
        "cifar.pretrained="
            + file
            + " is neither a model artifact (.zip)"
            + " nor a TorchScript file (.pt, .pth, .torchscript)");
  }

  /**
   * Starts from an artifact's weights.
   *
   * @param source the artifact file
   * @param sha256 its checksum
   * @param network its network
   * @param classes its classes
   * @param parameters its parameters
   * @return the start
   */
  public static Pretrained weights(
      Path source, String sha256, String network, List<String> classes, byte[] parameters) {
    return new Pretrained(
        source, sha256, network, classes, Objects.requireNonNull(parameters, "parameters"));
  }

  /**
   * Starts from a TorchScript module.
   *
   * @param file the {@code .pt} file saved with {@code torch.jit.save}
   * @return the start
   * @throws ConfigurationException when the file cannot be read
   */
  public static Pretrained torchScript(Path file) {
    try {
      return new Pretrained(
          file, Checksums.hex("SHA-256", file), TorchScriptNetwork.NAME, List.of(), null);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException(
          "The pretrained network " + file + " does not exist (cifar.pretrained)");
    } catch (IOException e) {
      throw new ConfigurationException(
          "Cannot read the pretrained network "
              + file
              + ": "
              + e.getMessage()
              + " (cifar.pretrained)");
    }
  }

  /**
   * @return whether this is a TorchScript module
   */
  public boolean isTorchScript() {
    return parameters == null;
  }

  /**
   * @return the file name and the start of its checksum, as recorded in the configuration
   */
  public String describe() {
    return source.getFileName() + " (sha256 " + sha256.substring(0, 12) + ")";
  }
}
