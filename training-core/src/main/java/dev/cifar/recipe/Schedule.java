package dev.cifar.recipe;

import dev.cifar.ConfigurationException;
import dev.cifar.EnumValues;

/**
 * The plan of the learning rate, in fractions of the run so that it holds for any number of epochs:
 * a linear warm-up from {@code warmupFrom} times the peak over the first {@code warmupFraction} of
 * the steps, then constant, linearly decaying or cosine-decaying to {@code decayTo} times the peak
 * at the last step (airbench94: from 0.2 up to 1 over 23% of the steps, then down to 0.07). A run
 * trained further re-plans it over the new total.
 *
 * @param shape how the rate evolves after warm-up
 * @param warmupFraction the fraction of the steps spent warming up, in [0, 1]
 * @param warmupFrom the rate at the start of the warm-up, as a fraction of the peak, in [0, 1]
 * @param decayTo the rate at the last step, as a fraction of the peak, in [0, 1]
 */
public record Schedule(Shape shape, double warmupFraction, float warmupFrom, float decayTo) {

  /** The notebook's: the peak rate throughout. */
  public static final Schedule CONSTANT = new Schedule(Shape.CONSTANT, 0, 0f, 0f);

  /** Checks the values. */
  public Schedule {
    if (shape == null) {
      throw new ConfigurationException("A schedule needs a shape (cifar.schedule)");
    }
    if (!(warmupFraction >= 0 && warmupFraction <= 1)) {
      throw new ConfigurationException(
          "the warm-up must be a fraction of the run in [0, 1], not " + warmupFraction);
    }
    if (!(warmupFrom >= 0 && warmupFrom <= 1)) {
      throw new ConfigurationException(
          "the warm-up start must be a fraction of the rate in [0, 1], not "
              + warmupFrom
              + " (cifar.warmupFrom)");
    }
    if (!(decayTo >= 0 && decayTo <= 1)) {
      throw new ConfigurationException(
          "the final rate must be a fraction of the peak in [0, 1], not "
              + decayTo
              + " (cifar.decayTo)");
    }
  }

  /**
   * Returns the warm-up of a run of this many epochs.
   *
   * @param epochs the run's epochs
   * @return the epochs of warm-up, possibly fractional
   */
  public float warmupEpochs(int epochs) {
    return (float) (warmupFraction * epochs);
  }

  /** How the rate evolves after warm-up. */
  public enum Shape {
    /** Stays at the peak (the notebook). */
    CONSTANT,
    /** Falls linearly to the final rate at the last step. */
    LINEAR,
    /** Follows half a cosine down to the final rate at the last step. */
    COSINE;

    /**
     * Parses a name, ignoring case.
     *
     * @param name constant, linear or cosine
     * @return the shape
     * @throws ConfigurationException for any other name
     */
    public static Shape parse(String name) {
      return EnumValues.parse(
          Shape.class, name, "schedule", "constant, linear or cosine (cifar.schedule)");
    }
  }
}
