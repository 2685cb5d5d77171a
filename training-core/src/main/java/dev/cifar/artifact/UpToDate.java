package dev.cifar.artifact;

import java.nio.file.Files;
import java.nio.file.Path;

/** Decides whether an existing artifact already holds the model that a run would train. */
public final class UpToDate {

  private UpToDate() {}

  /**
   * Compares an artifact's recorded fingerprint with the fingerprint of the current inputs.
   *
   * @param artifact the artifact a run would write
   * @param fingerprint the fingerprint of the run's inputs
   * @return {@code null} when the artifact is up to date, else why it must be trained
   */
  public static String staleReason(Path artifact, String fingerprint) {
    if (!Files.isRegularFile(artifact)) {
      return "no artifact at " + artifact;
    }
    String recorded;
    try {
      recorded = ModelArtifact.read(artifact).metadata().fingerprint();
    } catch (ArtifactException e) {
      return "the existing artifact is unusable (" + e.getMessage() + ")";
    }
    if (recorded == null) {
      return "the existing artifact records no fingerprint";
    }
    if (!recorded.equals(fingerprint)) {
      return "inputs changed (fingerprint "
          + fingerprint.substring(0, 12)
          + ", artifact has "
          + recorded.substring(0, 12)
          + ")";
    }
    return null;
  }
}
