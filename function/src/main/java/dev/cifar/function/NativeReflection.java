package dev.cifar.function;

import dev.cifar.artifact.ModelMetadata;
import dev.cifar.artifact.ServingSpec;
import dev.cifar.evaluation.EpochMetrics;
import dev.cifar.evaluation.Evaluation;
import dev.cifar.network.Normalization;
import dev.cifar.network.TestTimeAugmentation;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Registers for reflection in a native image what Gson reads from an artifact's {@code model.json}:
 * the metadata record and the records it holds.
 */
@RegisterForReflection(
    targets = {
      ModelMetadata.class,
      ServingSpec.class,
      TestTimeAugmentation.class,
      Normalization.class,
      EpochMetrics.class,
      Evaluation.class
    })
final class NativeReflection {

  private NativeReflection() {}
}
