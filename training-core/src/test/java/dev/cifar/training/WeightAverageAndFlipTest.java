package dev.cifar.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.cifar.artifact.ModelArtifact;
import dev.cifar.classifier.Classifier;
import dev.cifar.data.LabeledImages;
import dev.cifar.evaluation.EpochMetrics;
import dev.cifar.evaluation.Evaluation;
import dev.cifar.network.TestTimeAugmentation;
import dev.cifar.testing.Probabilities;
import dev.cifar.testing.SyntheticCifar;
import dev.cifar.testing.TrainedModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightAverageAndFlipTest {

  private static final LabeledImages IMAGES = SyntheticCifar.images(400, 21);

  @TempDir Path tmp;

  private static TrainingConfig.Builder config(int epochs) {
    return TrainingConfig.builder()
        .optEpochs(epochs)
        .optBatchSize(40)
        .optDevSize(50)
        .optSeed(5)
        .optKeepBest(false);
  }

  private static TrainingResult train(TrainingConfig config, Path checkpoints, boolean resume) {
    Training.Builder b =
        Training.builder()
            .setConfig(config)
            .setTrainingSet(IMAGES)
            .optTestSet(SyntheticCifar.images(100, 2));
    if (checkpoints != null) {
      b.optCheckpoints(checkpoints).optResume(resume);
    }
    return b.build().run();
  }

  @Test
  void theAverageIsWhatShips() throws Exception {
    byte[] initial = train(config(1).optLearningRate(1e-30f).build(), null, false).parameters();
    TrainingResult slowAverage = train(config(1).optEma(0.999999f).build(), null, false);
    TrainingResult plain = train(config(1).build(), null, false);

    assertThat(plain.parameters()).isNotEqualTo(initial);
    assertThat(difference(slowAverage.parameters(), initial))
        .as("an average that barely moves ships (almost) the initial weights")
        .isLessThan(difference(plain.parameters(), initial) / 1000);
    assertThat(slowAverage.config().toMap()).containsEntry("ema", 0.999999f);
  }

  @Test
  void aResumedRunWithAnAverageEndsExactlyWhereAnUninterruptedOneDoes() {
    TrainingResult uninterrupted = train(config(3).optEma(0.9f).build(), null, false);
    Path dir = tmp.resolve("checkpoints");
    train(config(2).optEma(0.9f).build(), dir, false);
    TrainingResult resumed = train(config(3).optEma(0.9f).build(), dir, true);
    assertThat(resumed.parameters()).isEqualTo(uninterrupted.parameters());
    assertThat(resumed.history().get(2).trainLoss())
        .isEqualTo(uninterrupted.history().get(2).trainLoss());
    assertThat(resumed.history().get(2).devLoss())
        .isEqualTo(uninterrupted.history().get(2).devLoss());
  }

  @Test
  void lookaheadDecaysAsAirbenchAndResumesExactly() {
    assertThat(WeightAverage.lookaheadDecay(100, 100)).isCloseTo(Math.pow(0.95, 5), within(1e-12));
    assertThat(WeightAverage.lookaheadDecay(50, 100))
        .isCloseTo(Math.pow(0.95, 5) / 8, within(1e-12));
    TrainingResult uninterrupted = train(config(3).optLookahead(true).build(), null, false);
    TrainingResult plain = train(config(3).build(), null, false);
    assertThat(uninterrupted.parameters())
        .as("training goes on from the average")
        .isNotEqualTo(plain.parameters());
    assertThat(uninterrupted.history().get(2).trainLoss())
        .isNotEqualTo(plain.history().get(2).trainLoss());
    assertThat(uninterrupted.config().toMap()).containsEntry("lookahead", true);
    Path dir = tmp.resolve("lookahead");
    TrainingConfig lookahead = config(3).optLookahead(true).build();
    assertThatThrownBy(
            () ->
                Training.builder()
                    .setConfig(lookahead)
                    .setTrainingSet(IMAGES)
                    .optCheckpoints(dir)
                    .optListener(
                        new ProgressListener() {
                          @Override
                          public void onEpoch(EpochMetrics metrics) {
                            if (metrics.epoch() == 2) {
                              throw new IllegalStateException("killed after epoch 2");
                            }
                          }
                        })
                    .build()
                    .run())
        .hasMessage("killed after epoch 2");
    TrainingResult resumed = train(config(3).optLookahead(true).build(), dir, true);
    assertThat(resumed.parameters()).isEqualTo(uninterrupted.parameters());
    assertThat(resumed.history().get(2).devLoss())
        .isEqualTo(uninterrupted.history().get(2).devLoss());
  }

  @Test
  void translatedViewsServeAsTrainingMeasured() {
    TrainingResult trained =
        train(config(2).optTta(TestTimeAugmentation.FLIP_TRANSLATE).build(), null, false);
    TrainingResult flipOnly =
        train(config(2).optTta(TestTimeAugmentation.FLIP).build(), null, false);
    assertThat(trained.parameters())
        .as("test-time augmentation does not change training")
        .isEqualTo(flipOnly.parameters());
    assertThat(trained.history().get(1).devLoss())
        .as("epochs are measured with flips alone")
        .isEqualTo(flipOnly.history().get(1).devLoss());
    assertThat(trained.dev().loss())
        .as("the final evaluation adds the translated views")
        .isNotEqualTo(flipOnly.dev().loss());
    trained.toArtifact().write(tmp.resolve("translate.zip"));
    ModelArtifact read = ModelArtifact.read(tmp.resolve("translate.zip"));
    assertThat(read.metadata().serving().testTimeAugmentation())
        .isEqualTo(TestTimeAugmentation.FLIP_TRANSLATE);
    try (Classifier classifier = Classifier.builder().setArtifact(read).build()) {
      Evaluation served = classifier.evaluate(SyntheticCifar.images(100, 2));
      assertThat(served.accuracy()).isEqualTo(trained.test().accuracy());
      assertThat(served.loss()).isCloseTo(trained.test().loss(), within(1e-4));
    }
  }

  @Test
  void withLabelSmoothingTrainingAndServingReportTheSamePlainCrossEntropy() {
    TrainingResult smoothed = train(config(2).optLabelSmoothing(0.2f).build(), null, false);
    try (Classifier classifier = Classifier.builder().setArtifact(smoothed.toArtifact()).build()) {
      Evaluation served = classifier.evaluate(SyntheticCifar.images(100, 2));
      assertThat(served.accuracy()).isEqualTo(smoothed.test().accuracy());
      assertThat(served.loss())
          .as("plain cross-entropy on both sides")
          .isCloseTo(smoothed.test().loss(), within(1e-4));
    }
  }

  @Test
  void translatedViewsMoveOnePixelWithReflectedEdges() {
    dev.cifar.engine.Engines.pytorch();
    try (NDManager manager = NDManager.newBaseManager(dev.cifar.engine.Engines.ENGINE)) {
      NDArray x = manager.arange(16f).reshape(1, 1, 4, 4);
      NDArray views = TestTimeAugmentation.FLIP_TRANSLATE.expand(x);
      assertThat(views.getShape()).isEqualTo(new ai.djl.ndarray.types.Shape(6, 1, 4, 4));
      // up-left: pixel (y, x) shows (y + 1, x + 1); the last row and column reflect to 2
      assertThat(views.get(2).toFloatArray())
          .containsExactly(5, 6, 7, 6, 9, 10, 11, 10, 13, 14, 15, 14, 9, 10, 11, 10);
      // down-right: pixel (y, x) shows (y - 1, x - 1); the first row and column reflect to 1
      assertThat(views.get(4).toFloatArray())
          .containsExactly(5, 4, 5, 6, 1, 0, 1, 2, 5, 4, 5, 6, 9, 8, 9, 10);
      assertThat(views.get(5).toFloatArray())
          .as("and its mirror")
          .containsExactly(6, 5, 4, 5, 2, 1, 0, 1, 6, 5, 4, 5, 10, 9, 8, 9);
      NDArray logits = manager.create(new float[] {8, 8, 0, 0, 4, 4}).reshape(6, 1);
      assertThat(TestTimeAugmentation.FLIP_TRANSLATE.combine(logits).getFloat(0, 0))
          .as("half the plain views, a quarter each of the moved ones")
          .isEqualTo(0.5f * 8 + 0.25f * 0 + 0.25f * 4);
    }
  }

  @Test
  void withFlipAveragingAnImageAndItsMirrorGetTheSameAnswer() {
    TrainingResult flip = train(config(2).optTta(TestTimeAugmentation.FLIP).build(), null, false);
    TrainingResult none = train(config(2).optTta(TestTimeAugmentation.NONE).build(), null, false);
    ModelArtifact flipArtifact = flip.toArtifact();
    flipArtifact.write(tmp.resolve("flip.zip"));
    ModelArtifact read = ModelArtifact.read(tmp.resolve("flip.zip"));
    assertThat(read.metadata().serving().testTimeAugmentation())
        .isEqualTo(TestTimeAugmentation.FLIP);

    LabeledImages test = SyntheticCifar.images(100, 2);
    List<byte[]> images = new ArrayList<>();
    List<byte[]> mirrors = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      images.add(test.image(i));
      mirrors.add(mirror(test.image(i)));
    }
    try (Classifier withFlip = Classifier.builder().setArtifact(read).build();
        Classifier without = Classifier.builder().setArtifact(none.toArtifact()).build()) {
      float[][] a = withFlip.probabilities(images);
      float[][] b = withFlip.probabilities(mirrors);
      for (int i = 0; i < a.length; i++) {
        for (int c = 0; c < a[i].length; c++) {
          assertThat(a[i][c]).isCloseTo(b[i][c], org.assertj.core.api.Assertions.within(1e-5f));
        }
      }
      assertThat(
              Probabilities.maxDifference(
                  without.probabilities(images), without.probabilities(mirrors)))
          .as("without it the answers differ")
          .isGreaterThan(1e-4f);
      assertThat(withFlip.evaluate(test).accuracy())
          .as("serving evaluates as training did")
          .isEqualTo(flip.test().accuracy());
    }
  }

  private static byte[] mirror(byte[] image) {
    byte[] out = new byte[image.length];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          out[c * 1024 + y * 32 + x] = image[c * 1024 + y * 32 + 31 - x];
        }
      }
    }
    return out;
  }

  private static double difference(byte[] a, byte[] b) throws Exception {
    dev.cifar.engine.Engines.pytorch();
    try (NDManager manager = NDManager.newBaseManager(dev.cifar.engine.Engines.ENGINE)) {
      NDList x = TrainedModels.seedParameters(a, 10, manager);
      NDList y = TrainedModels.seedParameters(b, 10, manager);
      double max = 0;
      for (int i = 0; i < x.size(); i++) {
        max = Math.max(max, x.get(i).sub(y.get(i)).abs().max().getFloat());
      }
      return max;
    }
  }
}
