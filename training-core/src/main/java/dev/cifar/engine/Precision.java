package dev.cifar.engine;

import dev.cifar.ConfigurationException;
import dev.cifar.EnumValues;
import java.util.Locale;

/** The arithmetic of the convolutions during training. */
public enum Precision {
    /** Everything in float32. */
    FLOAT32,
    /**
     * Convolutions compute in bfloat16 on the AMX units of the CPUs that have them: the
     * {@code fast} network's 3x3 convolutions entirely, forward and both gradients in bfloat16
     * ({@link Bfloat16Convolution}), the others with inputs and weights rounded to bfloat16 and
     * float32 sums (oneDNN's BF16 math mode); weights, batch norm and the optimizer stay float32.
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
        return EnumValues.parse(Precision.class, text, "precision", "float32 or bfloat16 (cifar.precision)");
    }

    /** @return the lower-case name, as {@link #parse} takes it */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
