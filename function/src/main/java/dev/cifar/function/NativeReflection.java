package dev.cifar.function;

import dev.cifar.artifact.ModelMetadata;
import dev.cifar.evaluation.Evaluation;
import dev.cifar.network.Normalization;
import dev.cifar.training.EpochMetrics;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Registers for reflection in a native image what Gson reads from an artifact's
 * {@code model.json}: the metadata record and the records it holds.
 */
@RegisterForReflection(targets = {ModelMetadata.class, Normalization.class, EpochMetrics.class, Evaluation.class})
final class NativeReflection {

    private NativeReflection() {
    }
}
