/**
 * ONNX graphs: {@link dev.cifar.onnx.OnnxGraph} builds one node by node over the model format's
 * messages that protoc generates from {@code src/main/proto/onnx_model.proto}; each network writes
 * its forward pass with it ({@code Network.toOnnx}), and {@code dev.cifar.export.OnnxExport} wraps
 * that into a whole model. Uses nothing of the project but its errors.
 */
package dev.cifar.onnx;
