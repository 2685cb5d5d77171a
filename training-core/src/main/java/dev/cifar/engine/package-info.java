/**
 * Engine: starts DJL's PyTorch engine offline with usage tracking off, chooses the device
 * (GPU when DJL sees one, else CPU, or as the user forces it), and tunes the process for
 * training: glibc's allocator keeps freed blocks, and CPU convolutions compute in bfloat16
 * where asked and the CPU can (oneDNN's math mode, and a TorchScript function for convolutions
 * whose gradients are bfloat16 too).
 */
package dev.cifar.engine;
