package dev.cifar.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import dev.cifar.ConfigurationException;
import dev.cifar.data.LabeledImages;
import dev.cifar.engine.Engines;
import dev.cifar.evaluation.EpochMetrics;
import dev.cifar.recipe.BatchAugmentation;
import dev.cifar.recipe.Schedule;
import dev.cifar.testing.SyntheticCifar;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrainingTechniquesTest {

  private static byte[] pixels(NDArray array) {
    return array.toByteArray();
  }

  @Test
  void flipAndCropAreReproducibleAndMoveNothingButPixels() {
    Engines.pytorch();
    LabeledImages images = SyntheticCifar.images(6, 3);
    try (NDManager m = NDManager.newBaseManager(Engines.ENGINE)) {
      NDArray batch =
          m.create(
              java.nio.ByteBuffer.wrap(images.pixels()), new Shape(6, 3, 32, 32), DataType.UINT8);
      Augmentation flip = new Augmentation(EnumSet.of(BatchAugmentation.FLIP), 1);
      byte[] a = pixels(flip.geometric(batch, IDS, 1, new Random(5), m));
      byte[] b = pixels(flip.geometric(batch, IDS, 1, new Random(5), m));
      assertThat(a).isEqualTo(b);
      byte[] original = images.pixels();
      byte[] mirrored = pixels(batch.flip(3));
      int flipped = 0;
      for (int i = 0; i < 6; i++) {
        byte[] out = java.util.Arrays.copyOfRange(a, i * 3072, (i + 1) * 3072);
        boolean same =
            java.util.Arrays.equals(
                out, java.util.Arrays.copyOfRange(original, i * 3072, (i + 1) * 3072));
        boolean mirror =
            java.util.Arrays.equals(
                out, java.util.Arrays.copyOfRange(mirrored, i * 3072, (i + 1) * 3072));
        assertThat(same || mirror).as("image %d is itself or its mirror", i).isTrue();
        flipped += mirror && !same ? 1 : 0;
      }
      assertThat(flipped).isBetween(1, 5);

      Augmentation crop = new Augmentation(EnumSet.of(BatchAugmentation.CROP), 1);
      Random random = new Random(9);
      byte[] cropped = pixels(crop.geometric(batch, IDS, 1, random, m));
      Random replay = new Random(9);
      for (int i = 0; i < 6; i++) {
        int dy = replay.nextInt(9) - 4;
        int dx = replay.nextInt(9) - 4;
        for (int c = 0; c < 3; c++) {
          for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
              int sy = y + dy;
              int sx = x + dx;
              byte expected =
                  sy < 0 || sy >= 32 || sx < 0 || sx >= 32
                      ? 0
                      : original[i * 3072 + c * 1024 + sy * 32 + sx];
              assertThat(cropped[i * 3072 + c * 1024 + y * 32 + x]).isEqualTo(expected);
            }
          }
        }
      }
    }
  }

  @Test
  void translateMovesByUpToTwoPixelsReflectingTheEdges() {
    Engines.pytorch();
    LabeledImages images = SyntheticCifar.images(6, 4);
    byte[] original = images.pixels();
    try (NDManager m = NDManager.newBaseManager(Engines.ENGINE)) {
      NDArray batch =
          m.create(java.nio.ByteBuffer.wrap(original), new Shape(6, 3, 32, 32), DataType.UINT8);
      byte[] moved =
          pixels(
              new Augmentation(EnumSet.of(BatchAugmentation.TRANSLATE), 1)
                  .geometric(batch, IDS, 1, new Random(3), m));
      Random replay = new Random(3);
      for (int i = 0; i < 6; i++) {
        int dy = replay.nextInt(5) - 2;
        int dx = replay.nextInt(5) - 2;
        for (int c = 0; c < 3; c++) {
          for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
              int sy = reflect(y + dy);
              int sx = reflect(x + dx);
              assertThat(moved[i * 3072 + c * 1024 + y * 32 + x])
                  .isEqualTo(original[i * 3072 + c * 1024 + sy * 32 + sx]);
            }
          }
        }
      }
    }
  }

  private static int reflect(int i) {
    return i < 0 ? -i : i > 31 ? 62 - i : i;
  }

  @Test
  void alternatingFlipsTurnEveryImageTheOtherWayEachEpoch() {
    Augmentation alternating = new Augmentation(EnumSet.of(BatchAugmentation.ALTFLIP), 7);
    int firstEpochFlips = 0;
    for (long image = 0; image < 1000; image++) {
      boolean first = alternating.alternatingFlip(image, 1);
      firstEpochFlips += first ? 1 : 0;
      assertThat(alternating.alternatingFlip(image, 2)).isEqualTo(!first);
      assertThat(alternating.alternatingFlip(image, 3)).isEqualTo(first);
      assertThat(
              new Augmentation(EnumSet.of(BatchAugmentation.ALTFLIP), 7).alternatingFlip(image, 1))
          .as("the seed decides")
          .isEqualTo(first);
    }
    assertThat(firstEpochFlips).as("about half the images in the first epoch").isBetween(440, 560);
    int agree = 0;
    Augmentation otherSeed = new Augmentation(EnumSet.of(BatchAugmentation.ALTFLIP), 8);
    for (long image = 0; image < 1000; image++) {
      agree += alternating.alternatingFlip(image, 1) == otherSeed.alternatingFlip(image, 1) ? 1 : 0;
    }
    assertThat(agree).as("another seed flips other images").isBetween(400, 600);

    Engines.pytorch();
    LabeledImages images = SyntheticCifar.images(6, 3);
    try (NDManager m = NDManager.newBaseManager(Engines.ENGINE)) {
      NDArray batch =
          m.create(
              java.nio.ByteBuffer.wrap(images.pixels()), new Shape(6, 3, 32, 32), DataType.UINT8);
      byte[] epoch1 = pixels(alternating.geometric(batch, IDS, 1, new Random(1), m));
      byte[] mirrored = pixels(batch.flip(3));
      for (int i = 0; i < 6; i++) {
        byte[] expected = alternating.alternatingFlip(IDS[i], 1) ? mirrored : images.pixels();
        assertThat(java.util.Arrays.copyOfRange(epoch1, i * 3072, (i + 1) * 3072))
            .isEqualTo(java.util.Arrays.copyOfRange(expected, i * 3072, (i + 1) * 3072));
      }
    }
  }

  @Test
  void augmentedTrainingStillLearnsTheLabels() {
    TrainingResult r =
        Training.builder()
            .setConfig(
                TrainingConfig.builder()
                    .optEpochs(6)
                    .optBatchSize(32)
                    .optDevSize(200)
                    .optAugment(BatchAugmentation.parse("flip,crop,cutout"))
                    .build())
            .setTrainingSet(SyntheticCifar.images(1000, 1))
            .build()
            .run();
    assertThat(r.dev().accuracy()).isGreaterThan(0.8);
    assertThat(r.config().toMap()).containsEntry("augment", "flip,crop,cutout");
  }

  private static final long[] IDS = {0, 1, 2, 3, 4, 5};

  @Test
  void schedulesWarmUpThenDecay() {
    LearningRateSchedule cosine = new LearningRateSchedule(0.1f, Schedule.Shape.COSINE, 10, 110);
    assertThat(cosine.at(1)).isCloseTo(0.01f, within(1e-6f));
    assertThat(cosine.at(10)).isCloseTo(0.1f, within(1e-6f));
    assertThat(cosine.at(60)).isCloseTo(0.05f, within(1e-6f));
    assertThat(cosine.at(110)).isCloseTo(0f, within(1e-6f));
    LearningRateSchedule linear = new LearningRateSchedule(0.1f, Schedule.Shape.LINEAR, 0, 100);
    assertThat(linear.at(50)).isCloseTo(0.05f, within(1e-6f));
    assertThat(new LearningRateSchedule(0.1f, Schedule.Shape.CONSTANT, 0, 100).at(99))
        .isEqualTo(0.1f);
    assertThatThrownBy(() -> Schedule.Shape.parse("step")).hasMessageContaining("cifar.schedule");
    LearningRateSchedule airbench =
        new LearningRateSchedule(1f, Schedule.Shape.LINEAR, 23, 100, 0.2f, 0.07f);
    assertThat(airbench.at(0)).as("before the first step").isCloseTo(0.2f, within(1e-6f));
    assertThat(airbench.at(23)).isCloseTo(1f, within(1e-6f));
    assertThat(airbench.at(100)).isCloseTo(0.07f, within(1e-6f));
    assertThat(airbench.at(100 - 77 / 2)).isCloseTo(0.07f + 0.93f * 38 / 77, within(1e-5f));
  }

  @Test
  void labelSmoothingMatchesItsDefinitionAndVanishesAtZero() {
    Engines.pytorch();
    try (NDManager m = NDManager.newBaseManager(Engines.ENGINE)) {
      NDArray logits = m.create(new float[] {2f, 0f, -1f, 0.5f, 0.5f, 1f}, new Shape(2, 3));
      NDArray labels = m.create(new long[] {0, 2});
      float smoothed =
          new SmoothedCrossEntropy(0.1f)
              .evaluate(new NDList(labels), new NDList(logits))
              .getFloat();
      float[] lp = logits.logSoftmax(1).toFloatArray();
      double expected = 0;
      int[] y = {0, 2};
      for (int i = 0; i < 2; i++) {
        double mean = (lp[3 * i] + lp[3 * i + 1] + lp[3 * i + 2]) / 3;
        expected += 0.9 * -lp[3 * i + y[i]] + 0.1 * -mean;
      }
      assertThat(smoothed).isCloseTo((float) (expected / 2), within(1e-5f));
      float none =
          new SmoothedCrossEntropy(0f).evaluate(new NDList(labels), new NDList(logits)).getFloat();
      float plain =
          Loss.softmaxCrossEntropyLoss()
              .evaluate(new NDList(labels), new NDList(logits))
              .getFloat();
      assertThat(none).isCloseTo(plain, within(1e-5f));
    }
  }

  @Test
  void sgdWithWarmUpAndCosineLearns() {
    TrainingResult r =
        Training.builder()
            .setConfig(
                TrainingConfig.builder()
                    .optEpochs(5)
                    .optBatchSize(32)
                    .optDevSize(200)
                    .optOptimizer("sgd")
                    .optLearningRate(0.05f)
                    .optWeightDecay(5e-4f)
                    .optWarmupEpochs(1)
                    .optSchedule(Schedule.Shape.COSINE)
                    .optLabelSmoothing(0.1f)
                    .build())
            .setTrainingSet(SyntheticCifar.images(1000, 1))
            .build()
            .run();
    assertThat(r.dev().accuracy()).isGreaterThan(0.8);
    assertThat(r.config().toMap())
        .containsEntry("optimizer", "sgd")
        .containsEntry("schedule", "cosine");
  }

  @Test
  void earlyStoppingKeepsTheBestEpochsWeights() {
    List<String> info = new ArrayList<>();
    TrainingResult r =
        Training.builder()
            .setConfig(
                TrainingConfig.builder()
                    .optEpochs(25)
                    .optBatchSize(10)
                    .optDevSize(300)
                    .optTrainSize(40)
                    .optLearningRate(0.01f)
                    .optPatience(2)
                    .build())
            .setTrainingSet(SyntheticCifar.images(400, 8))
            .optListener(
                new ProgressListener() {
                  @Override
                  public void onInfo(String line) {
                    info.add(line);
                  }
                })
            .build()
            .run();
    double bestLoss = r.history().stream().mapToDouble(EpochMetrics::devLoss).min().orElseThrow();
    int bestEpoch =
        r.history().stream().filter(e -> e.devLoss() == bestLoss).findFirst().orElseThrow().epoch();
    assertThat(r.dev().loss())
        .as("the result is the best epoch's")
        .isCloseTo(bestLoss, within(1e-4));
    assertThat(r.history()).hasSizeLessThan(25);
    assertThat(r.history().size() - bestEpoch).isEqualTo(2);
    assertThat(info)
        .anyMatch(l -> l.startsWith("Early stopping after epoch " + r.history().size()));
    assertThat(info).anyMatch(l -> l.startsWith("Keeping the weights of epoch " + bestEpoch));
  }

  @Test
  void invalidOptionsNameTheirParameter() {
    assertThatThrownBy(() -> TrainingConfig.builder().optOptimizer("rmsprop").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cifar.optimizer");
    assertThatThrownBy(() -> BatchAugmentation.parse("flip,rotate"))
        .hasMessageContaining("'rotate'")
        .hasMessageContaining("cifar.augment");
    assertThatThrownBy(() -> TrainingConfig.builder().optLabelSmoothing(1f).build())
        .hasMessageContaining("cifar.labelSmoothing");
    assertThatThrownBy(() -> TrainingConfig.builder().optEpochs(2).optWarmupEpochs(3).build())
        .hasMessageContaining("cifar.warmupEpochs");
    assertThat(BatchAugmentation.parse("none")).isEqualTo(Set.of());
  }
}
