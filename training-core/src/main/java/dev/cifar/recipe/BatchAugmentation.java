package dev.cifar.recipe;

import dev.cifar.ConfigurationException;
import dev.cifar.EnumValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The augmentations of training batches, by the name users give them. */
public enum BatchAugmentation {
  /** Random horizontal flip, half of the images. */
  FLIP,
  /**
   * Alternating flip (airbench): a random half of the images is flipped in odd epochs and the other
   * half in even epochs, so every image is seen both ways every two epochs.
   */
  ALTFLIP,
  /** Random translation by up to 4 pixels (pad 4 with zeros, crop 32). */
  CROP,
  /** Random translation by up to 2 pixels (pad 2 reflecting the edges, crop 32; airbench). */
  TRANSLATE,
  /** One random 8x8 square per image set to the channel mean (0 after normalisation). */
  CUTOUT;

  /**
   * Parses a comma-separated list such as {@code flip,crop}.
   *
   * @param text the list; blank or {@code none} for no augmentation
   * @return the kinds
   * @throws ConfigurationException naming an unknown one, or two that exclude each other
   */
  public static Set<BatchAugmentation> parse(String text) {
    Set<BatchAugmentation> kinds = EnumSet.noneOf(BatchAugmentation.class);
    if (text == null || text.isBlank() || text.strip().equalsIgnoreCase("none")) {
      return kinds;
    }
    for (String part : text.split(",")) {
      kinds.add(
          EnumValues.parse(
              BatchAugmentation.class,
              part.strip(),
              "augmentation",
              "flip or altflip, crop or translate, and cutout, comma-separated (cifar.augment)"));
    }
    return checked(kinds);
  }

  /**
   * Rejects kinds that are two variants of one augmentation.
   *
   * @param kinds the kinds
   * @return an unmodifiable copy of them
   * @throws ConfigurationException for flip with altflip, or crop with translate
   */
  public static Set<BatchAugmentation> checked(Set<BatchAugmentation> kinds) {
    if (kinds.contains(FLIP) && kinds.contains(ALTFLIP)) {
      throw new ConfigurationException(
          "flip and altflip are two ways to flip: choose one (cifar.augment)");
    }
    if (kinds.contains(CROP) && kinds.contains(TRANSLATE)) {
      throw new ConfigurationException(
          "crop and translate are two ways to translate: choose one (cifar.augment)");
    }
    return kinds.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(kinds));
  }

  /**
   * Formats kinds as the list {@link #parse} reads.
   *
   * @param kinds the kinds
   * @return e.g. {@code flip,crop}, or {@code none}
   */
  public static String names(Set<BatchAugmentation> kinds) {
    List<String> names = new ArrayList<>();
    kinds.forEach(k -> names.add(k.name().toLowerCase(Locale.ROOT)));
    return names.isEmpty() ? "none" : String.join(",", names);
  }
}
