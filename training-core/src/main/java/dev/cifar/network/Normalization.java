package dev.cifar.network;

import dev.cifar.ConfigurationException;
import java.util.Arrays;

/**
 * Per-channel input normalisation {@code (x / 255 - mean) / std}, part of a network's definition
 * and recorded in every artifact.
 *
 * @param mean per-channel mean on [0, 1]
 * @param std per-channel standard deviation on [0, 1]
 */
public record Normalization(float[] mean, float[] std) {

  /** The notebook's scaling to [-1, 1]: mean 0.5 and std 0.5 for every channel. */
  public static final Normalization HALF =
      new Normalization(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});

  /** Standardisation with CIFAR-10's channel means and standard deviations. */
  public static final Normalization CIFAR10 =
      new Normalization(
          new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f});

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException unless there are three means and three positive stds
   */
  public Normalization {
    if (mean == null || std == null || mean.length != 3 || std.length != 3) {
      throw new IllegalArgumentException("normalisation needs three means and three stds");
    }
    for (float s : std) {
      if (!(s > 0)) {
        throw new IllegalArgumentException(
            "normalisation std must be positive: " + Arrays.toString(std));
      }
    }
    mean = mean.clone();
    std = std.clone();
  }

  /**
   * Parses per-channel means and standard deviations given as comma-separated lists.
   *
   * @param mean e.g. {@code 0.485,0.456,0.406}, or {@code null}
   * @param std e.g. {@code 0.229,0.224,0.225}, or {@code null}
   * @return the normalisation, or {@code null} when neither is given
   * @throws ConfigurationException when only one is given or either is not three numbers
   */
  public static Normalization parse(String mean, String std) {
    if (mean == null && std == null) {
      return null;
    }
    if (mean == null || std == null) {
      throw new ConfigurationException(
          "cifar.mean and cifar.std go together: set both, three numbers each");
    }
    try {
      return new Normalization(floats(mean, "cifar.mean"), floats(std, "cifar.std"));
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException("Invalid cifar.mean/cifar.std: " + e.getMessage());
    }
  }

  private static float[] floats(String text, String property) {
    String[] parts = text.split(",");
    if (parts.length != 3) {
      throw new ConfigurationException(
          property + " needs three comma-separated numbers, one per channel, not '" + text + "'");
    }
    float[] out = new float[3];
    for (int i = 0; i < 3; i++) {
      try {
        out[i] = Float.parseFloat(parts[i].strip());
      } catch (NumberFormatException e) {
        throw new ConfigurationException(property + ": '" + parts[i].strip() + "' is not a number");
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "mean " + Arrays.toString(mean) + " std " + Arrays.toString(std);
  }
}
