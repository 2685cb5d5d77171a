package dev.cifar.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cifar.engine.Precision;
import dev.cifar.network.TestTimeAugmentation;
import dev.cifar.testing.SyntheticCifar;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class RecipeTest {

  @Test
  void theNetworkChoosesTheDefaultsAndExplicitOptionsWin() {
    TrainingConfig seed = TrainingConfig.builder().build();
    assertThat(seed.network()).isEqualTo("seed");
    assertThat(seed.batchSize()).isEqualTo(128);
    assertThat(seed.optimizer()).isEqualTo("adam");
    assertThat(seed.learningRate()).isEqualTo(0.001f);
    assertThat(seed.augment()).isEmpty();
    assertThat(seed.tta()).isEqualTo(TestTimeAugmentation.NONE);
    assertThat(seed.lookahead()).isFalse();
    assertThat(seed.warmupFrom()).isZero();
    assertThat(seed.decayTo()).isZero();
    assertThat(seed.precision()).isEqualTo(Precision.FLOAT32);

    TrainingConfig fast = TrainingConfig.builder().optNetwork("fast").build();
    assertThat(fast.batchSize()).isEqualTo(1024);
    assertThat(fast.optimizer()).isEqualTo("sgd");
    assertThat(fast.momentum()).isEqualTo(0.85f);
    assertThat(fast.labelSmoothing()).isEqualTo(0.2f);
    assertThat(fast.schedule()).isEqualTo(LearningRateSchedule.Shape.LINEAR);
    assertThat(fast.warmupEpochs()).isEqualTo(2.3f);
    assertThat(fast.augment())
        .containsExactlyInAnyOrder(Augmentation.Kind.ALTFLIP, Augmentation.Kind.TRANSLATE);
    assertThat(fast.tta()).isEqualTo(TestTimeAugmentation.FLIP_TRANSLATE);
    assertThat(fast.lookahead()).isTrue();
    assertThat(fast.warmupFrom()).isEqualTo(0.2f);
    assertThat(fast.decayTo()).isEqualTo(0.07f);
    assertThat(fast.precision()).isEqualTo(Precision.BFLOAT16);
    assertThat(fast.toMap())
        .containsEntry("tta", "flip,translate")
        .containsEntry("lookahead", true)
        .containsEntry("precision", "bfloat16");
    assertThat(
            TrainingConfig.builder()
                .optNetwork("fast")
                .optPrecision(Precision.FLOAT32)
                .build()
                .precision())
        .isEqualTo(Precision.FLOAT32);

    TrainingConfig tuned =
        TrainingConfig.builder()
            .optNetwork("fast")
            .optBatchSize(256)
            .optTta(TestTimeAugmentation.NONE)
            .optAugment(EnumSet.noneOf(Augmentation.Kind.class))
            .optEpochs(20)
            .optEma(0.99f)
            .build();
    assertThat(tuned.batchSize()).isEqualTo(256);
    assertThat(tuned.lookahead()).as("an explicit EMA replaces the recipe's lookahead").isFalse();
    assertThat(tuned.tta()).isEqualTo(TestTimeAugmentation.NONE);
    assertThat(tuned.augment()).isEmpty();
    assertThat(tuned.warmupEpochs()).as("23% of 20 epochs").isEqualTo(4.6f);
  }

  @Test
  void oneBuilderBuildsAgainWithTheRecipeAppliedAfresh() {
    TrainingConfig.Builder builder = TrainingConfig.builder().optNetwork("fast").optEpochs(10);
    TrainingConfig ten = builder.build();
    TrainingConfig twenty = builder.optEpochs(20).build();
    assertThat(ten.warmupEpochs()).isEqualTo(2.3f);
    assertThat(twenty.warmupEpochs()).as("23% of the new epoch count").isEqualTo(4.6f);
    assertThat(twenty.recipeWarmupFraction()).isEqualTo(0.23f);
    assertThat(builder.optWarmupEpochs(1).build().recipeWarmupFraction()).isNull();
    assertThat(TrainingConfig.builder().optNetwork("seed").build().batchSize()).isEqualTo(128);
  }

  @Test
  void theFastNetworkLearnsWithItsRecipe() {
    TrainingResult result =
        Training.builder()
            .setConfig(
                TrainingConfig.builder()
                    .optNetwork("fast")
                    .optEpochs(3)
                    .optBatchSize(100)
                    .optDevSize(100)
                    .build())
            .setTrainingSet(SyntheticCifar.images(500, 3))
            .optTestSet(SyntheticCifar.images(100, 2))
            .build()
            .run();
    assertThat(result.history().get(2).trainLoss()).isLessThan(result.history().get(0).trainLoss());
    assertThat(result.test().accuracy()).as("far above chance (0.1)").isGreaterThan(0.6);
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> TestTimeAugmentation.parse("mirror"))
        .hasMessageContaining("cifar.tta");
    assertThatThrownBy(() -> Precision.parse("fp16"))
        .hasMessageContaining("Unknown precision 'fp16'")
        .hasMessageContaining("float32 or bfloat16")
        .hasMessageContaining("cifar.precision");
    assertThat(Precision.parse(" BFloat16")).isEqualTo(Precision.BFLOAT16);
    assertThat(TestTimeAugmentation.parse(" Flip, translate"))
        .isEqualTo(TestTimeAugmentation.FLIP_TRANSLATE);
    assertThatThrownBy(() -> TrainingConfig.builder().optEma(0.9f).optLookahead(true).build())
        .hasMessageContaining("cifar.ema")
        .hasMessageContaining("cifar.lookahead");
    assertThatThrownBy(() -> Augmentation.Kind.parse("flip,altflip"))
        .hasMessageContaining("choose one");
    assertThatThrownBy(
            () ->
                TrainingConfig.builder()
                    .optAugment(EnumSet.of(Augmentation.Kind.CROP, Augmentation.Kind.TRANSLATE))
                    .build())
        .hasMessageContaining("crop and translate");
    assertThatThrownBy(() -> TrainingConfig.builder().optDecayTo(1.5f).build())
        .hasMessageContaining("cifar.decayTo");
    assertThatThrownBy(() -> TrainingConfig.builder().optWarmupFrom(-0.1f).build())
        .hasMessageContaining("cifar.warmupFrom");
    assertThatThrownBy(() -> TrainingConfig.builder().optEma(1f).build())
        .hasMessageContaining("cifar.ema");
    assertThatThrownBy(() -> TrainingConfig.builder().optNetwork("resnet").build())
        .hasMessageContaining("Unknown network 'resnet'")
        .hasMessageContaining("seed, fast");
  }
}
