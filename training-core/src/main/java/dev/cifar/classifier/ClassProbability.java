package dev.cifar.classifier;

/**
 * One class and its probability.
 *
 * @param index the class index
 * @param label the class name
 * @param probability softmax probability in [0, 1]
 */
public record ClassProbability(int index, String label, float probability) {}
