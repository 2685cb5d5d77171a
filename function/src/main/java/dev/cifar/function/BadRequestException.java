package dev.cifar.function;

/**
 * A request the function cannot answer because of what it holds. The HTTP bindings turn it into a
 * 400 with a JSON body carrying the message; the server keeps serving.
 */
public class BadRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong with the request, for the caller
   */
  public BadRequestException(String message) {
    super(message, null, false, false);
  }
}
