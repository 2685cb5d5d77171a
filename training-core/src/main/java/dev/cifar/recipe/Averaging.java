package dev.cifar.recipe;

import dev.cifar.ConfigurationException;

/**
 * How the weights that are evaluated and shipped are averaged over the steps: not at all, by an
 * exponential moving average, or by airbench's lookahead.
 */
public sealed interface Averaging permits Averaging.None, Averaging.Ema, Averaging.Lookahead {

  /** No averaging: the last step's weights are evaluated and shipped. */
  Averaging NONE = new None();

  /** airbench's lookahead. */
  Averaging LOOKAHEAD = new Lookahead();

  /** No averaging. */
  record None() implements Averaging {}

  /**
   * An exponential moving average of all weights (batch-norm statistics included), {@code avg = d
   * avg + (1 - d) w} after every step.
   *
   * @param decay {@code d}, in (0, 1)
   */
  record Ema(float decay) implements Averaging {

    /** Checks the decay. */
    public Ema {
      if (!(decay > 0 && decay < 1)) {
        throw new ConfigurationException(
            "EMA decay must be in (0, 1), not " + decay + " (cifar.ema; 0 keeps no average)");
      }
    }
  }

  /**
   * airbench's lookahead: every 5 steps the average takes in the weights with a decay rising from 0
   * to 0.77 over the run, and training goes on from the average.
   */
  record Lookahead() implements Averaging {}
}
