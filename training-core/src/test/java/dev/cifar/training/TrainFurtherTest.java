package dev.cifar.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cifar.data.LabeledImages;
import dev.cifar.testing.SyntheticCifar;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cifar.resume} with a larger {@code cifar.epochs} trains a finished run further, for a
 * recipe whose warm-up follows the epoch count too: the epochs already trained stay as they were,
 * and the recipe is re-planned over the new total from the resumed step on.
 */
class TrainFurtherTest {

  private static final LabeledImages IMAGES = SyntheticCifar.images(300, 4);

  @TempDir Path tmp;

  private static TrainingConfig.Builder fast(int epochs) {
    return TrainingConfig.builder()
        .optNetwork("fast")
        .optEpochs(epochs)
        .optBatchSize(100)
        .optDevSize(100)
        .optSeed(3);
  }

  private TrainingResult train(TrainingConfig config, boolean resume) {
    return Training.builder()
        .setConfig(config)
        .setTrainingSet(IMAGES)
        .optCheckpoints(tmp)
        .optResume(resume)
        .build()
        .run();
  }

  @Test
  void aFinishedFastRunTrainsFurtherWithItsRecipeReplanned() {
    TrainingConfig two = fast(2).build();
    TrainingConfig three = fast(3).build();
    assertThat(three.warmupEpochs())
        .as("the recipe's warm-up follows the epochs")
        .isNotEqualTo(two.warmupEpochs());
    TrainingResult first = train(two, false);
    TrainingResult further = train(three, true);
    assertThat(further.history()).hasSize(3);
    assertThat(further.history().subList(0, 2)).isEqualTo(first.history());
    assertThat(further.history().get(2).epochs()).isEqualTo(3);
    assertThat(further.parameters()).isNotEqualTo(first.parameters());
  }

  @Test
  void anExplicitWarmUpIsReplannedButOtherSettingsAreRefused() {
    TrainingResult first = train(fast(2).optWarmupEpochs(1).build(), false);
    assertThatThrownBy(() -> train(fast(3).optLabelSmoothing(0.1f).build(), true))
        .hasMessageContaining("belongs to a run with other data or settings")
        .hasMessageContaining("anything but cifar.epochs and cifar.warmupEpochs");
    TrainingResult further = train(fast(3).optWarmupEpochs(2).build(), true);
    assertThat(further.history()).hasSize(3);
    assertThat(further.history().subList(0, 2)).isEqualTo(first.history());
  }
}
