/**
 * Report: a single self-contained HTML page about a trained model (learning curves and per-class
 * accuracy as inline SVG, the confusion matrix as a heat map, a grid of test images with predicted
 * and true labels, the configuration, device and speed). It needs no network to view.
 */
package dev.cifar.report;
