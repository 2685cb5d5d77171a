package dev.cifar;

/**
 * Base of every error that training-core reports to its callers. Each subclass names one kind of
 * problem (data, artifact, configuration) and carries a message a user can act on; callers such as
 * the Maven plugin and the function translate it, never swallow it.
 */
public class CifarException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message that names the problem.
   *
   * @param message what went wrong and, where possible, how to fix it
   */
  public CifarException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and its cause.
   *
   * @param message what went wrong and, where possible, how to fix it
   * @param cause the underlying error
   */
  public CifarException(String message, Throwable cause) {
    super(message, cause);
  }
}
