package dev.cifar.engine;

import dev.cifar.ConfigurationException;
import java.util.Locale;

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
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("Unknown device '" + text + "': use auto, cpu or gpu (cifar.device)");
        }
    }
}
