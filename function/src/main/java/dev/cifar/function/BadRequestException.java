package dev.cifar.function;

/**
 * A request the function cannot answer because of what it holds. The HTTP bindings turn it into a
 * 400 (or the status it carries, e.g. 413) with a JSON body carrying the message; the server keeps
 * serving.
 */
public class BadRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * Creates the exception for a 400.
   *
   * @param message what is wrong with the request, for the caller
   */
  public BadRequestException(String message) {
    this(400, message);
  }

  /**
   * Creates the exception for another client error.
   *
   * @param status e.g. 413 for a body over a limit
   * @param message what is wrong with the request, for the caller
   */
  public BadRequestException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /**
   * @return the HTTP status to answer with
   */
  public int status() {
    return status;
  }
}
