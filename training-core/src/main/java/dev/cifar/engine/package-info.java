/**
 * Engine: starts DJL's PyTorch engine offline with usage tracking off, and chooses the
 * device (GPU when DJL sees one, else CPU, or as the user forces it).
 */
package dev.cifar.engine;
