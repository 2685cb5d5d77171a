/**
 * Classifier: loads an artifact once and answers class probabilities and top-k labels for
 * CIFAR-order bytes or any {@link java.awt.image.BufferedImage}, from many threads at once through
 * a pool of DJL predictors.
 */
package dev.cifar.classifier;
