/**
 * The root of training-core: the typed exceptions shared by every package. The sub-packages follow
 * the flow of a run: {@code data} reads and splits images, {@code network} builds networks by name,
 * {@code training} runs the loop, {@code evaluation} measures a model, {@code artifact} writes and
 * reads the model file and {@code classifier} answers predictions from it.
 */
package dev.cifar;
