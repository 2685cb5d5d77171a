/**
 * Training: the immutable {@link dev.cifar.training.TrainingConfig}, the loop on DJL's
 * PyTorch engine with the data on the device, per-epoch metrics and the
 * {@link dev.cifar.training.ProgressListener} through which every report flows.
 */
package dev.cifar.training;
