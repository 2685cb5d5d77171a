package dev.cifar.network;

import ai.djl.nn.Block;

/**
 * A network definition known by name. Its {@link #version()} changes whenever the
 * architecture changes, so that an artifact trained on another definition is refused.
 */
public interface Network {

    /**
     * Returns the name users select it by.
     *
     * @return e.g. {@code seed}
     */
    String name();

    /**
     * Returns the definition's version.
     *
     * @return a number raised with every architectural change
     */
    int version();

    /**
     * Returns how input pixels are scaled before the first layer.
     *
     * @return the normalisation
     */
    Normalization normalization();

    /**
     * Builds a fresh, uninitialised block.
     *
     * @param classes the number of output classes
     * @return the block, mapping {@code (N, 3, 32, 32)} float input to {@code (N, classes)} logits
     */
    Block build(int classes);

    /**
     * Describes the network for a log line.
     *
     * @return one line
     */
    String description();
}
