package dev.cifar.artifact;

import dev.cifar.CifarException;

/** A model artifact cannot be written, or is missing, corrupt, tampered with or incompatible. */
public class ArtifactException extends CifarException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which artifact is wrong and why
   */
  public ArtifactException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message which artifact is wrong and why
   * @param cause the underlying error
   */
  public ArtifactException(String message, Throwable cause) {
    super(message, cause);
  }
}
