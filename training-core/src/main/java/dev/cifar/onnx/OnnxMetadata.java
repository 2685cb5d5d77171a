package dev.cifar.onnx;

/** The metadata properties an exported ONNX model carries: the contract of export and reading. */
public final class OnnxMetadata {

  /** The class names, a JSON array in index order. */
  public static final String CLASSES = "cifar.classes";

  /** The parameter checksum (SHA-256) of the artifact it was exported from. */
  public static final String CHECKSUM = "cifar.checksum";

  /** The artifact's serving spec, as JSON. */
  public static final String SERVING = "cifar.serving";

  private OnnxMetadata() {}
}
