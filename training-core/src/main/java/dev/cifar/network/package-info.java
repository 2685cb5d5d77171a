/**
 * Networks: definitions known by name and version ({@code seed} is the notebook's {@code Net},
 * {@code fast} the strong network after the airbench94 record), each with the input normalisation
 * it was designed for, built as DJL blocks; the TorchScript network that wraps a pretrained module;
 * and flip test-time augmentation as a block around a trained network.
 */
package dev.cifar.network;
