package dev.cifar;

/** A training or serving option has a value that cannot be used. */
public class ConfigurationException extends CifarException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which option is wrong and which values are allowed
   */
  public ConfigurationException(String message) {
    super(message);
  }
}
