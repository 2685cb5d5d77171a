package dev.cifar.onnx;

/**
 * The input, output and metadata properties of an exported ONNX model: the contract of export and
 * serving.
 */
public final class OnnxMetadata {

  /** The model's input: uint8 pixels {@code [N,3,32,32]} in CIFAR order. */
  public static final String INPUT = "pixels";

  /** The model's output: softmax probabilities {@code [N, classes]}. */
  public static final String OUTPUT = "probabilities";

  /** The class names, a JSON array in index order. */
  public static final String CLASSES = "cifar.classes";

  /** The parameter checksum (SHA-256) of the artifact it was exported from. */
  public static final String CHECKSUM = "cifar.checksum";

  /** The artifact's serving spec, as JSON. */
  public static final String SERVING = "cifar.serving";

  private OnnxMetadata() {}
}
