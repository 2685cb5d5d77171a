package dev.cifar.network;

import java.util.Arrays;

/**
 * Per-channel input normalisation {@code (x / 255 - mean) / std}, part of a network's
 * definition and recorded in every artifact.
 *
 * @param mean per-channel mean on [0, 1]
 * @param std per-channel standard deviation on [0, 1]
 */
public record Normalization(float[] mean, float[] std) {

    /** The notebook's scaling to [-1, 1]: mean 0.5 and std 0.5 for every channel. */
    public static final Normalization HALF = new Normalization(
            new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f});

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
                throw new IllegalArgumentException("normalisation std must be positive: " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
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
