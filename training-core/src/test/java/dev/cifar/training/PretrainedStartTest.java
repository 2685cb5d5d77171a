package dev.cifar.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.cifar.ConfigurationException;
import dev.cifar.artifact.ModelArtifact;
import dev.cifar.classifier.Classifier;
import dev.cifar.data.LabeledImages;
import dev.cifar.engine.Engines;
import dev.cifar.network.Normalization;
import dev.cifar.testing.SyntheticCifar;
import dev.cifar.testing.TrainedModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainedStartTest {

  private static final Path TINY48 = Path.of("src/test/resources/torchscript/tiny48.pt");

  @TempDir Path dir;

  private static TrainingResult train(TrainingConfig config, LabeledImages data) {
    LabeledImages test =
        data.classes().size() == 3 ? threeClasses(60) : SyntheticCifar.images(100, 2);
    return Training.builder().setConfig(config).setTrainingSet(data).optTestSet(test).build().run();
  }

  @Test
  void anArtifactOfTheSameClassesStartsWhereItStopped() {
    Path previous = TrainedModels.writeSynthetic(dir.resolve("previous.zip"));
    LabeledImages data = SyntheticCifar.images(400, 7);
    TrainingConfig.Builder base =
        TrainingConfig.builder().optEpochs(1).optBatchSize(32).optDevSize(100);
    TrainingResult fresh = train(base.build(), data);
    TrainingResult continued =
        train(
            TrainingConfig.builder()
                .optEpochs(1)
                .optBatchSize(32)
                .optDevSize(100)
                .optPretrained(Pretrained.read(previous))
                .build(),
            data);

    assertThat(continued.config().network()).isEqualTo("seed");
    assertThat(continued.history().get(0).trainLoss())
        .as("the first epoch's loss starts from the trained weights")
        .isLessThan(fresh.history().get(0).trainLoss() * 0.5);
    assertThat(continued.config().toMap().get("pretrained").toString())
        .startsWith("previous.zip (sha256 ");
  }

  @Test
  void otherClassesGetANewHeadAndAFrozenBodyStaysAsItWas() throws Exception {
    Path previous = TrainedModels.writeSynthetic(dir.resolve("previous.zip"));
    LabeledImages three = threeClasses(300);
    TrainingResult result =
        train(
            TrainingConfig.builder()
                .optEpochs(1)
                .optBatchSize(32)
                .optDevSize(60)
                .optPretrained(Pretrained.read(previous))
                .optFreezeEpochs(1)
                .build(),
            three);

    assertThat(result.classes()).containsExactly("cat", "dog", "ship");
    Engines.pytorch();
    try (NDManager manager = NDManager.newBaseManager(Engines.ENGINE)) {
      NDList before =
          TrainedModels.seedParameters(TrainedModels.synthetic().parameters(), 10, manager);
      NDList after = TrainedModels.seedParameters(result.parameters(), 3, manager);
      int body = before.size() - 2;
      for (int i = 0; i < body; i++) {
        assertThat(after.get(i).contentEquals(before.get(i)))
            .as("body parameter %d is frozen", i)
            .isTrue();
      }
      assertThat(after.get(body).getShape().get(0)).as("a head of 3 classes").isEqualTo(3);
    }
    ModelArtifact artifact = result.toArtifact();
    artifact.write(dir.resolve("three.zip"));
    try (Classifier classifier =
        Classifier.builder().setArtifact(ModelArtifact.read(dir.resolve("three.zip"))).build()) {
      assertThat(classifier.metadata().serving().classes()).containsExactly("cat", "dog", "ship");
    }
  }

  @Test
  void thawedAfterTheFrozenEpochsTheBodyLearnsToo() throws Exception {
    Path previous = TrainedModels.writeSynthetic(dir.resolve("previous.zip"));
    TrainingResult result =
        train(
            TrainingConfig.builder()
                .optEpochs(2)
                .optBatchSize(32)
                .optDevSize(60)
                .optPretrained(Pretrained.read(previous))
                .optFreezeEpochs(1)
                .build(),
            threeClasses(300));
    try (NDManager manager = NDManager.newBaseManager(Engines.ENGINE)) {
      NDList before =
          TrainedModels.seedParameters(TrainedModels.synthetic().parameters(), 10, manager);
      NDList after = TrainedModels.seedParameters(result.parameters(), 3, manager);
      assertThat(after.get(0).contentEquals(before.get(0)))
          .as("the first conv learned in epoch 2")
          .isFalse();
    }
  }

  @Test
  void aTorchScriptModuleIsFineTunedOnItsOwnInputSizeAndServed() {
    Pretrained module = Pretrained.read(TINY48);
    TrainingConfig config =
        TrainingConfig.builder()
            .optEpochs(3)
            .optBatchSize(32)
            .optDevSize(100)
            .optLearningRate(0.01f)
            .optPretrained(module)
            .optInputSize(48)
            .optNormalization(Normalization.parse("0.5,0.5,0.5", "0.25,0.25,0.25"))
            .build();
    assertThat(config.network()).isEqualTo("torchscript");
    TrainingResult result = train(config, SyntheticCifar.images(500, 4));

    assertThat(result.history().get(2).trainLoss()).isLessThan(result.history().get(0).trainLoss());
    assertThat(result.test().accuracy()).as("well above chance (0.1)").isGreaterThan(0.5);
    result.toArtifact().write(dir.resolve("tuned.zip"));
    ModelArtifact read = ModelArtifact.read(dir.resolve("tuned.zip"));
    assertThat(read.metadata().serving().inputSize()).isEqualTo(48);
    try (Classifier classifier = Classifier.builder().setArtifact(read).build()) {
      assertThat(classifier.evaluate(SyntheticCifar.images(100, 2)).accuracy())
          .as("the served artifact answers as the trained network did")
          .isEqualTo(result.test().accuracy());
    }
  }

  @Test
  void aTorchScriptModuleRefusesTheWrongInputSizeWithItsOwnMessage() {
    TrainingConfig config =
        TrainingConfig.builder()
            .optEpochs(1)
            .optBatchSize(32)
            .optDevSize(50)
            .optPretrained(Pretrained.read(TINY48))
            .optNormalization(Normalization.parse("0.5,0.5,0.5", "0.25,0.25,0.25"))
            .build();
    assertThatThrownBy(() -> train(config, SyntheticCifar.images(100, 4)))
        .hasMessageContaining("Tiny48 takes 48x48 images");
  }

  @Test
  void badPretrainedInputsAreNamed() throws Exception {
    assertThatThrownBy(() -> Pretrained.read(dir.resolve("missing.pt")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> Pretrained.read(dir.resolve("weights.h5")))
        .hasMessageContaining("neither a model artifact");
    Pretrained tiny = Pretrained.read(TINY48);
    assertThatThrownBy(() -> TrainingConfig.builder().optPretrained(tiny).build())
        .hasMessageContaining("cifar.mean and cifar.std");
    assertThatThrownBy(
            () ->
                TrainingConfig.builder()
                    .optNetwork("seed")
                    .optPretrained(tiny)
                    .optNormalization(Normalization.HALF)
                    .build())
        .hasMessageContaining("TorchScript network")
        .hasMessageContaining("cifar.network=seed");
    assertThatThrownBy(() -> TrainingConfig.builder().optInputSize(64).build())
        .hasMessageContaining("cifar.inputSize applies to a TorchScript network");
    assertThatThrownBy(() -> Normalization.parse("0.5,0.5", "0.2,0.2,0.2"))
        .hasMessageContaining("cifar.mean needs three comma-separated numbers");
    assertThatThrownBy(() -> TrainingConfig.builder().optFreezeEpochs(1).build())
        .hasMessageContaining("cifar.freezeEpochs needs a pretrained network");

    Path garbage = Files.write(dir.resolve("garbage.pt"), new byte[] {1, 2, 3, 4});
    TrainingConfig config =
        TrainingConfig.builder()
            .optEpochs(1)
            .optDevSize(50)
            .optPretrained(Pretrained.read(garbage))
            .optNormalization(Normalization.HALF)
            .build();
    assertThatThrownBy(() -> train(config, SyntheticCifar.images(100, 4)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Cannot load the TorchScript network " + garbage);
    Path previous = TrainedModels.writeSynthetic(dir.resolve("previous.zip"));
    assertThatThrownBy(
            () ->
                TrainingConfig.builder()
                    .optNetwork("fast")
                    .optPretrained(Pretrained.read(previous))
                    .build())
        .hasMessageContaining("holds network 'seed', not cifar.network=fast");
  }

  private static LabeledImages threeClasses(int n) {
    LabeledImages ten = SyntheticCifar.images(n * 4, 11);
    java.io.ByteArrayOutputStream pixels = new java.io.ByteArrayOutputStream();
    byte[] labels = new byte[n];
    int k = 0;
    for (int i = 0; i < ten.size() && k < n; i++) {
      int label = ten.labels()[i];
      if (label == 3 || label == 5 || label == 8) {
        pixels.write(ten.pixels(), i * LabeledImages.IMAGE_BYTES, LabeledImages.IMAGE_BYTES);
        labels[k++] = (byte) (label == 3 ? 0 : label == 5 ? 1 : 2);
      }
    }
    return new LabeledImages(
        java.util.Arrays.copyOf(pixels.toByteArray(), k * LabeledImages.IMAGE_BYTES),
        java.util.Arrays.copyOf(labels, k),
        List.of("cat", "dog", "ship"));
  }
}
