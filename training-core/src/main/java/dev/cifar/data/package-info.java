/**
 * Data: reading and validating the CIFAR-10 binary version, downloading it with a checksum into a
 * cache, the seeded train/dev split, and atomic file writes. Images travel as one {@link
 * dev.cifar.data.LabeledImages} byte array in CIFAR record order, never as one object per image.
 */
package dev.cifar.data;
