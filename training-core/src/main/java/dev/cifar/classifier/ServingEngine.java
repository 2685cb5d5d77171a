package dev.cifar.classifier;

import dev.cifar.ConfigurationException;
import dev.cifar.EnumValues;
import java.util.Locale;

/** The runtime a {@link Classifier}'s forward passes run on ({@code cifar.engine}). */
public enum ServingEngine {
  /**
   * ONNX Runtime on the CPU, PyTorch on a GPU: ONNX Runtime when the device is the CPU (chosen, or
   * {@code auto} without a GPU), the artifact carries its ONNX model and ONNX Runtime is on the
   * class path; PyTorch otherwise, and the classifier says why in one line.
   */
  AUTO,
  /** DJL over libtorch: the network as trained, on the CPU or a GPU. */
  PYTORCH,
  /**
   * ONNX Runtime over the ONNX model the artifact carries ({@code model.onnx}, written by {@code
   * cifar:export}): CPU only, normalisation and test-time augmentation inside the graph.
   */
  ONNXRUNTIME;

  /**
   * Returns the option's value.
   *
   * @return e.g. {@code onnxruntime}
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code auto}, {@code pytorch} or {@code onnxruntime}, ignoring case.
   *
   * @param text the value; {@code null} or blank means {@link #AUTO}
   * @return the engine
   * @throws ConfigurationException for any other value
   */
  public static ServingEngine parse(String text) {
    if (text == null || text.isBlank()) {
      return AUTO;
    }
    return EnumValues.parse(
        ServingEngine.class, text, "engine", "auto, pytorch or onnxruntime (cifar.engine)");
  }
}
