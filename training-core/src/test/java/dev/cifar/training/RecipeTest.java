package dev.cifar.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cifar.engine.Precision;
import dev.cifar.network.Networks;
import dev.cifar.network.TestTimeAugmentation;
import dev.cifar.recipe.Averaging;
import dev.cifar.recipe.BatchAugmentation;
import dev.cifar.recipe.Optimizer;
import dev.cifar.recipe.Schedule;
import dev.cifar.testing.SyntheticCifar;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class RecipeTest {

  @Test
  void theNetworkChoosesTheDefaultsAndExplicitOptionsWin() {
    TrainingConfig seed = TrainingConfig.builder().build();
    assertThat(seed.network()).isEqualTo("seed");
    assertThat(seed.batchSize()).isEqualTo(128);
    assertThat(seed.optimizer()).isEqualTo(new Optimizer.Adam(0.001f, 0f));
    assertThat(seed.schedule()).isEqualTo(Schedule.CONSTANT);
    assertThat(seed.augment()).isEmpty();
    assertThat(seed.tta()).isEqualTo(TestTimeAugmentation.NONE);
    assertThat(seed.averaging()).isEqualTo(Averaging.NONE);
    assertThat(seed.start()).isEqualTo(Start.SCRATCH);
    assertThat(seed.precision()).isEqualTo(Precision.FLOAT32);

    TrainingConfig fast = TrainingConfig.builder().optNetwork("fast").build();
    assertThat(fast.batchSize()).isEqualTo(1024);
    assertThat(fast.optimizer()).isEqualTo(new Optimizer.Sgd(1.5f, 0.85f, 0.00133f));
    assertThat(fast.labelSmoothing()).isEqualTo(0.2f);
    assertThat(fast.schedule()).isEqualTo(new Schedule(Schedule.Shape.LINEAR, 0.23, 0.2f, 0.07f));
    assertThat(fast.warmupEpochs()).isEqualTo(2.3f);
    assertThat(fast.augment())
        .containsExactlyInAnyOrder(BatchAugmentation.ALTFLIP, BatchAugmentation.TRANSLATE);
    assertThat(fast.tta()).isEqualTo(TestTimeAugmentation.FLIP_TRANSLATE);
    assertThat(fast.averaging()).isEqualTo(Averaging.LOOKAHEAD);
    assertThat(fast.precision()).isEqualTo(Precision.BFLOAT16);
    assertThat(fast.resolveNetwork().recipe())
        .as("the network owns its recipe")
        .isEqualTo(Networks.named("fast").recipe());
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
            .optAugment(EnumSet.noneOf(BatchAugmentation.class))
            .optEpochs(20)
            .optEma(0.99f)
            .build();
    assertThat(tuned.batchSize()).isEqualTo(256);
    assertThat(tuned.averaging())
        .as("an explicit EMA replaces the recipe's lookahead")
        .isEqualTo(new Averaging.Ema(0.99f));
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
    assertThat(twenty.schedule()).as("planned in fractions of the run").isEqualTo(ten.schedule());
    assertThat(builder.optWarmupEpochs(1).build().schedule().warmupFraction()).isEqualTo(0.05);
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
    assertThatThrownBy(() -> BatchAugmentation.parse("flip,altflip"))
        .hasMessageContaining("choose one");
    assertThatThrownBy(
            () ->
                TrainingConfig.builder()
                    .optAugment(EnumSet.of(BatchAugmentation.CROP, BatchAugmentation.TRANSLATE))
                    .build())
        .hasMessageContaining("crop and translate");
    assertThatThrownBy(() -> TrainingConfig.builder().optDecayTo(1.5f).build())
        .hasMessageContaining("cifar.decayTo");
    assertThatThrownBy(() -> TrainingConfig.builder().optWarmupFrom(-0.1f).build())
        .hasMessageContaining("cifar.warmupFrom");
    assertThatThrownBy(() -> TrainingConfig.builder().optEma(1f).build())
        .hasMessageContaining("cifar.ema");
    assertThatThrownBy(() -> TrainingConfig.builder().optMomentum(0.9f).build())
        .as("the notebook's Adam has no momentum")
        .hasMessageContaining("cifar.momentum applies to SGD");
    assertThat(TrainingConfig.builder().optNetwork("fast").optOptimizer("ADAM").build().optimizer())
        .as("another optimizer keeps the recipe's rate and decay")
        .isEqualTo(new Optimizer.Adam(1.5f, 0.00133f));
    assertThat(TrainingConfig.builder().optOptimizer("sgd").build().optimizer())
        .isEqualTo(new Optimizer.Sgd(0.001f, Optimizer.DEFAULT_MOMENTUM, 0f));
    assertThatThrownBy(() -> TrainingConfig.builder().optOptimizer("rmsprop").build())
        .hasMessageContaining("Unknown optimizer 'rmsprop'");
    assertThatThrownBy(() -> TrainingConfig.builder().optNetwork("resnet").build())
        .hasMessageContaining("Unknown network 'resnet'")
        .hasMessageContaining("seed, fast");
  }

  @Test
  void thePartsRefuseIllegalValuesEvenWithoutTheBuilder() {
    assertThatThrownBy(() -> new Optimizer.Sgd(0.1f, 1f, 0f))
        .hasMessageContaining("cifar.momentum");
    assertThatThrownBy(() -> new Optimizer.Adam(0f, 0f)).hasMessageContaining("cifar.learningRate");
    assertThatThrownBy(() -> new Optimizer.Adam(0.1f, -1f))
        .hasMessageContaining("cifar.weightDecay");
    assertThatThrownBy(() -> new Averaging.Ema(0f)).hasMessageContaining("cifar.ema");
    assertThatThrownBy(() -> new Schedule(Schedule.Shape.LINEAR, 1.5, 0f, 0f))
        .hasMessageContaining("fraction of the run");
    assertThatThrownBy(() -> scratch("fast", 0)).hasMessageContaining("cifar.epochs");
    assertThatThrownBy(() -> scratch("torchscript", 1))
        .as("a TorchScript network needs a TorchScript start")
        .hasMessageContaining("set cifar.pretrained=file.pt");
  }

  /** A configuration made directly, from scratch, with the notebook's parts. */
  private static TrainingConfig scratch(String network, int epochs) {
    TrainingConfig seed = TrainingConfig.builder().build();
    return new TrainingConfig(
        network,
        epochs,
        seed.batchSize(),
        seed.optimizer(),
        seed.schedule(),
        0f,
        seed.augment(),
        seed.tta(),
        seed.averaging(),
        seed.precision(),
        0,
        true,
        Start.SCRATCH,
        1,
        seed.device(),
        -1,
        10);
  }
}
