package dev.cifar.training;

import dev.cifar.ConfigurationException;
import dev.cifar.data.LabeledImages;
import dev.cifar.network.Normalization;
import java.util.Objects;

/**
 * Where a run's weights start: a fresh initialisation, an artifact's weights, or a TorchScript
 * module that becomes the body of a network with a new head. Only a pretrained start can freeze its
 * body, and only a TorchScript one has its own input size and normalisation.
 */
public sealed interface Start permits Start.Scratch, Start.FromArtifact, Start.FromTorchScript {

  /** A fresh initialisation. */
  Start SCRATCH = new Scratch();

  /**
   * @return epochs during which only the new classifier head learns; 0 from scratch
   */
  int freezeEpochs();

  /**
   * @return the side of the square images the network takes
   */
  default int inputSize() {
    return LabeledImages.SIDE;
  }

  /** A fresh initialisation, as the network defines it. */
  record Scratch() implements Start {
    @Override
    public int freezeEpochs() {
      return 0;
    }
  }

  /**
   * An artifact's weights: all of them when its classes are the data's, else all but the head.
   *
   * @param artifact the artifact read by {@link Pretrained#read}
   * @param freezeEpochs at least 0
   */
  record FromArtifact(Pretrained artifact, int freezeEpochs) implements Start {

    /** Checks the values. */
    public FromArtifact {
      if (Objects.requireNonNull(artifact, "artifact").isTorchScript()) {
        throw new IllegalArgumentException(artifact.source() + " is a TorchScript module");
      }
      checkFreeze(freezeEpochs);
    }
  }

  /**
   * A TorchScript module with a new linear head, fine-tuned together.
   *
   * @param module the module read by {@link Pretrained#read}
   * @param inputSize the module's input side, 8 to 1024; batches are resized to it
   * @param normalization the normalisation the module was trained with
   * @param freezeEpochs at least 0
   */
  record FromTorchScript(
      Pretrained module, int inputSize, Normalization normalization, int freezeEpochs)
      implements Start {

    /** Checks the values. */
    public FromTorchScript {
      if (!Objects.requireNonNull(module, "module").isTorchScript()) {
        throw new IllegalArgumentException(module.source() + " is not a TorchScript module");
      }
      if (inputSize < 8 || inputSize > 1024) {
        throw new ConfigurationException(
            "input size must be between 8 and 1024, not " + inputSize + " (cifar.inputSize)");
      }
      if (normalization == null) {
        throw new ConfigurationException(
            "A TorchScript network needs the input normalisation it was trained with: set"
                + " cifar.mean and cifar.std (ImageNet networks: 0.485,0.456,0.406 and"
                + " 0.229,0.224,0.225)");
      }
      checkFreeze(freezeEpochs);
    }
  }

  private static void checkFreeze(int freezeEpochs) {
    if (freezeEpochs < 0) {
      throw new ConfigurationException(
          "frozen epochs must be at least 0, not " + freezeEpochs + " (cifar.freezeEpochs)");
    }
  }
}
