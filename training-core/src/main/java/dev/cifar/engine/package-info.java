/**
 * Engine: starts DJL's PyTorch engine offline with usage tracking off, repairs oneDNN's view of the
 * CPU caches where a hypervisor hides them, chooses the device (GPU when DJL sees one, else CPU, or
 * as the user forces it), checks the layout a network's CPU convolutions run in against matrix
 * products, and tunes the process for training: glibc's allocator keeps freed blocks and libtorch's
 * large ones sit on huge pages, and {@code fast}'s convolutions compute in bfloat16 where asked and
 * measured correct and faster on this CPU (a TorchScript function, checked against a float32
 * reference in Java); max pooling with gradients runs oneDNN's kernel instead of ATen's slow one
 * (another TorchScript function, checked against ATen's pooling when it loads).
 */
package dev.cifar.engine;
