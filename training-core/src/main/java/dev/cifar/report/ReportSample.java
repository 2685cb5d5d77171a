package dev.cifar.report;

import dev.cifar.classifier.Prediction;

/**
 * One test image shown in the report with its true label and what the model said.
 *
 * @param image 3072 bytes in CIFAR order
 * @param truth the true class name
 * @param prediction the model's answer
 */
public record ReportSample(byte[] image, String truth, Prediction prediction) {}
