/**
 * The typed parts of a training recipe: the optimizer ({@link dev.cifar.recipe.Optimizer}, Adam or
 * Nesterov SGD), the learning-rate schedule in fractions of the run ({@link
 * dev.cifar.recipe.Schedule}), weight averaging ({@link dev.cifar.recipe.Averaging}: none, EMA or
 * lookahead) and the batch augmentations ({@link dev.cifar.recipe.BatchAugmentation}). Values only:
 * each checks itself when it is made, so an illegal one cannot exist. A network's {@link
 * dev.cifar.network.Recipe} and the training configuration are made of them; this package uses
 * nothing else of the project.
 */
package dev.cifar.recipe;
