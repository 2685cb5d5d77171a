/**
 * Artifact: the model zip ({@code parameters.params} plus {@code model.json}), written atomically
 * and read back only after its format, checksum and network are verified.
 */
package dev.cifar.artifact;
