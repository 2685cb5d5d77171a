package dev.cifar.engine;

import dev.cifar.ConfigurationException;
import dev.cifar.EnumValues;

/** Which device to train or serve on. */
public enum DeviceChoice {
  /** The first GPU when DJL sees one, else the CPU. */
  AUTO,
  /** The CPU, even when a GPU is present. */
  CPU,
  /** The first GPU; an error when there is none. */
  GPU;

  /**
   * Parses {@code auto}, {@code cpu} or {@code gpu}, ignoring case.
   *
   * @param text the value; {@code null} or blank means {@link #AUTO}
   * @return the choice
   * @throws ConfigurationException for any other value
   */
  public static DeviceChoice parse(String text) {
    if (text == null || text.isBlank()) {
      return AUTO;
    }
    return EnumValues.parse(DeviceChoice.class, text, "device", "auto, cpu or gpu (cifar.device)");
  }
}
