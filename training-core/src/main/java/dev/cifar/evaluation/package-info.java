/**
 * Evaluation: accuracy, per-class accuracy, mean loss and the confusion matrix of a model on a set
 * of images, computed from true and predicted labels.
 */
package dev.cifar.evaluation;
