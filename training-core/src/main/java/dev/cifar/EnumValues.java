package dev.cifar;

import java.util.Locale;

/** Option values that name an enum constant, as users type them. */
public final class EnumValues {

  private EnumValues() {}

  /**
   * Parses a constant's name, ignoring case and surrounding blanks.
   *
   * @param type the enum
   * @param text the value
   * @param what what the value is, for the error ("schedule")
   * @param use the values to use instead and the option, for the error ("constant, linear or cosine
   *     (cifar.schedule)")
   * @param <E> the enum type
   * @return the constant
   * @throws ConfigurationException "Unknown {what} '{text}': use {use}" for any other value
   */
  public static <E extends Enum<E>> E parse(Class<E> type, String text, String what, String use) {
    try {
      return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigurationException("Unknown " + what + " '" + text + "': use " + use);
    }
  }
}
