package dev.cifar.training;

import dev.cifar.ConfigurationException;
import java.util.Locale;

/**
 * The learning rate at each step: a linear warm-up from 0 over the first steps, then constant,
 * linearly decaying or cosine-decaying to 0 at the last step.
 *
 * @param peak the learning rate after warm-up
 * @param shape constant, linear or cosine
 * @param warmupSteps steps of linear warm-up
 * @param totalSteps steps of the whole run
 */
public record LearningRateSchedule(float peak, Shape shape, int warmupSteps, int totalSteps) {

    /** How the rate evolves after warm-up. */
    public enum Shape {
        /** Stays at the peak (the notebook). */
        CONSTANT,
        /** Falls linearly to 0 at the last step. */
        LINEAR,
        /** Follows half a cosine down to 0 at the last step. */
        COSINE;

        /**
         * Parses a name, ignoring case.
         *
         * @param name constant, linear or cosine
         * @return the shape
         * @throws ConfigurationException for any other name
         */
        public static Shape parse(String name) {
            try {
                return valueOf(name.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new ConfigurationException("Unknown schedule '" + name + "': use constant, linear or cosine"
                        + " (cifar.schedule)");
            }
        }
    }

    /**
     * Returns the rate of a step.
     *
     * @param step the step, from 1
     * @return the learning rate
     */
    public float at(int step) {
        if (step <= warmupSteps) {
            return peak * step / warmupSteps;
        }
        double progress = totalSteps <= warmupSteps ? 1 : (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        progress = Math.min(1, progress);
        return switch (shape) {
            case CONSTANT -> peak;
            case LINEAR -> (float) (peak * (1 - progress));
            case COSINE -> (float) (peak * 0.5 * (1 + Math.cos(Math.PI * progress)));
        };
    }
}
