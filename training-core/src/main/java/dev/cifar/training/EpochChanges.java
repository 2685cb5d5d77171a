package dev.cifar.training;

import ai.djl.nn.Block;
import dev.cifar.network.Network;

/**
 * What changes in the network at the start of an epoch: a pretrained body stays frozen for the
 * first {@code cifar.freezeEpochs} epochs, and the network's own schedule (e.g. {@code fast}
 * freezing its whitening bias) runs. Both depend on the epoch alone, so resume is exact.
 */
final class EpochChanges implements TrainingHook {

  private final Freezing freezing;
  private final int freezeEpochs;
  private final Network network;
  private final Block block;

  EpochChanges(Freezing freezing, int freezeEpochs, Network network, Block block) {
    this.freezing = freezing;
    this.freezeEpochs = freezeEpochs;
    this.network = network;
    this.block = block;
  }

  @Override
  public void beforeEpoch(int epoch) {
    freezing.apply(epoch <= freezeEpochs);
    network.beforeEpoch(block, epoch);
  }
}
