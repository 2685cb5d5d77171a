/**
 * Training: the immutable {@link dev.cifar.training.TrainingConfig} of typed parts (the options a
 * user leaves unset come from the network's recipe) and its {@link dev.cifar.training.Start}, the
 * loop on DJL's PyTorch engine with the data on the device (augmentation, Adam or Nesterov SGD on a
 * warm-up-then-decay schedule, label smoothing, an optional moving average of the weights, early
 * stopping that keeps the best epoch), pretrained starts from an artifact or a TorchScript module,
 * checkpoints to resume from, per-epoch metrics and the {@link dev.cifar.training.ProgressListener}
 * through which every report flows.
 */
package dev.cifar.training;
