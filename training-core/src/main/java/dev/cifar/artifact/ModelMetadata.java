package dev.cifar.artifact;

import dev.cifar.evaluation.EpochMetrics;
import dev.cifar.evaluation.Evaluation;
import java.util.List;
import java.util.Map;

/**
 * The content of an artifact's {@code model.json}: how to serve the parameters ({@link
 * ServingSpec}), how they were trained and how well they do. Only {@link #serving} decides how the
 * model answers; {@link #training} is the record of the run, for people and fingerprints.
 *
 * @param formatVersion version of the artifact layout
 * @param serving what serving needs to answer as training measured
 * @param inputShape {@code [3, 32, 32]}, the images the artifact takes
 * @param training the training configuration, as {@code cifar.*} names and values
 * @param history per-epoch metrics
 * @param dev dev-split evaluation, or {@code null}
 * @param test test-set evaluation, or {@code null}
 * @param device the device trained on
 * @param trainingSeconds wall time of the training run
 * @param djlVersion DJL version that trained it
 * @param pytorchVersion PyTorch version that trained it
 * @param parametersSha256 SHA-256 of the parameters entry
 * @param createdAt ISO-8601 instant of writing
 * @param fingerprint the inputs' fingerprint (see {@code Fingerprint}), or {@code null}
 */
public record ModelMetadata(
    int formatVersion,
    ServingSpec serving,
    int[] inputShape,
    Map<String, Object> training,
    List<EpochMetrics> history,
    Evaluation dev,
    Evaluation test,
    String device,
    double trainingSeconds,
    String djlVersion,
    String pytorchVersion,
    String parametersSha256,
    String createdAt,
    String fingerprint) {}
