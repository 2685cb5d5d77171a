/**
 * Export of model artifacts to formats other servers read: {@link dev.cifar.export.OnnxExport}
 * writes an artifact's network, normalisation and test-time augmentation as one ONNX model.
 */
package dev.cifar.export;
