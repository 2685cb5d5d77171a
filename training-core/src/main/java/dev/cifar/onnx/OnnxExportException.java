package dev.cifar.onnx;

import dev.cifar.CifarException;

/** A model that cannot be written as ONNX, with the reason. */
public class OnnxExportException extends CifarException {

  /**
   * Creates the exception.
   *
   * @param message what cannot be exported, and why
   */
  public OnnxExportException(String message) {
    super(message);
  }
}
