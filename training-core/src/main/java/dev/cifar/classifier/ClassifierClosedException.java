package dev.cifar.classifier;

import dev.cifar.CifarException;

/** The classifier was closed: it takes no more images, and images still queued are refused. */
public class ClassifierClosedException extends CifarException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what was refused
   */
  public ClassifierClosedException(String message) {
    super(message);
  }
}
