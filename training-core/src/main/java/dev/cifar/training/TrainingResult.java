package dev.cifar.training;

import dev.cifar.artifact.ModelArtifact;
import dev.cifar.artifact.ServingSpec;
import dev.cifar.evaluation.EpochMetrics;
import dev.cifar.evaluation.Evaluation;
import dev.cifar.network.Normalization;
import java.util.List;

/**
 * What a training run produced: the trained parameters (DJL's parameter format) and everything the
 * artifact records about how they came to be.
 *
 * @param config the configuration of the run
 * @param networkVersion version of the network definition trained
 * @param normalization input normalisation of the network
 * @param classes class names, indexed by label
 * @param history one entry per epoch
 * @param dev evaluation on the dev split after the last epoch, or {@code null} without one
 * @param test evaluation on the test set, or {@code null} without one
 * @param parameters the trained parameters, as written by {@code Block.saveParameters}
 * @param device the device it ran on, for humans
 * @param seconds wall time of the whole run
 */
public record TrainingResult(
    TrainingConfig config,
    int networkVersion,
    Normalization normalization,
    List<String> classes,
    List<EpochMetrics> history,
    Evaluation dev,
    Evaluation test,
    byte[] parameters,
    String device,
    double seconds) {

  /**
   * Packs the result as a model artifact.
   *
   * @return the artifact, not yet written
   */
  public ModelArtifact toArtifact() {
    return toArtifact(null);
  }

  /**
   * Packs the result as a model artifact with the fingerprint of its inputs.
   *
   * @param fingerprint see {@link Fingerprint}, or {@code null}
   * @return the artifact, not yet written
   */
  public ModelArtifact toArtifact(String fingerprint) {
    ServingSpec serving =
        new ServingSpec(
            config.network(),
            networkVersion,
            classes,
            normalization,
            config.tta(),
            config.inputSize());
    return ModelArtifact.create(
        serving, config.toMap(), history, dev, test, device, seconds, parameters, fingerprint);
  }
}
