package dev.cifar.function;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The Open Inference Protocol's {@code $metadata_tensor}.
 *
 * @param name the tensor's name
 * @param datatype its element type
 * @param shape its shape, {@code -1} for the batch dimension
 */
@RegisterForReflection
public record TensorMetadata(String name, String datatype, long[] shape) {}
