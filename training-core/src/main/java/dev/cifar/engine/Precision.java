package dev.cifar.engine;

import dev.cifar.ConfigurationException;
import dev.cifar.EnumValues;
import java.util.Locale;

/** The arithmetic of the convolutions during training. */
public enum Precision {
  /** Everything in float32. */
  FLOAT32,
  /**
   * The {@code fast} network's 3x3 convolutions compute in bfloat16, forward and both gradients
   * ({@link Bfloat16Convolution}), where this process measured that correct and faster ({@link
   * PrecisionCheck}: CPUs with AMX); weights, batch norm and the optimizer stay float32.
   */
  BFLOAT16;

  /**
   * Parses {@code float32} or {@code bfloat16}, ignoring case.
   *
   * @param text the value
   * @return the precision
   * @throws ConfigurationException for any other value
   */
  public static Precision parse(String text) {
    return EnumValues.parse(
        Precision.class, text, "precision", "float32 or bfloat16 (cifar.precision)");
  }

  /**
   * @return the lower-case name, as {@link #parse} takes it
   */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
