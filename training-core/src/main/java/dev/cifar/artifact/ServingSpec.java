package dev.cifar.artifact;

import dev.cifar.network.Normalization;
import dev.cifar.network.TestTimeAugmentation;
import java.util.List;

/**
 * All that serving needs to answer as training measured, the {@code serving} section of {@code
 * model.json}: which network of which version to rebuild, the class names of its outputs, the input
 * normalisation, the test-time augmentation the dev and test figures were measured with, and the
 * side of the images the network itself takes.
 *
 * @param network the network's name, e.g. {@code seed}
 * @param networkVersion the version of the network definition
 * @param classes class names, indexed by the network's outputs
 * @param normalization the input normalisation
 * @param testTimeAugmentation the views averaged for every answer
 * @param inputSize the side the network takes: 32, or a TorchScript module's own size (images are
 *     resized on the device)
 */
public record ServingSpec(
    String network,
    int networkVersion,
    List<String> classes,
    Normalization normalization,
    TestTimeAugmentation testTimeAugmentation,
    int inputSize) {

  /** Copies the classes; {@link ModelArtifact#read} checks what a file left out. */
  public ServingSpec {
    classes = classes == null ? null : List.copyOf(classes);
  }
}
