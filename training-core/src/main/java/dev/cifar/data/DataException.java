package dev.cifar.data;

import dev.cifar.CifarException;

/** A data set is missing, malformed or could not be fetched; the message names the file. */
public class DataException extends CifarException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message which file or directory is wrong and why
   */
  public DataException(String message) {
    super(message);
  }

  /**
   * Creates the exception with its cause.
   *
   * @param message which file or directory is wrong and why
   * @param cause the underlying error
   */
  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
