package dev.cifar.classifier;

import dev.cifar.CifarException;

/** Every predictor stayed busy for longer than the classifier's wait timeout. */
public class ClassifierBusyException extends CifarException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message how long it waited
   */
  public ClassifierBusyException(String message) {
    super(message);
  }
}
