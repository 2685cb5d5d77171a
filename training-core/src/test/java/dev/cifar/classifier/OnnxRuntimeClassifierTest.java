package dev.cifar.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cifar.ConfigurationException;
import dev.cifar.artifact.ArtifactException;
import dev.cifar.engine.DeviceChoice;
import dev.cifar.testing.TrainedModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The classifier's contract on ONNX Runtime, over the artifact's exported model; and that it
 * answers what PyTorch answers.
 */
class OnnxRuntimeClassifierTest extends ClassifierContract {

  @Override
  ServingEngine engine() {
    return ServingEngine.ONNXRUNTIME;
  }

  @Test
  void givesPyTorchsProbabilitiesForBatchesAndSingleImages() {
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      batch.add(images.image(i));
    }
    try (Classifier pytorch =
        Classifier.builder()
            .setArtifact(TrainedModels.syntheticWithOnnx())
            .optEngine(ServingEngine.PYTORCH)
            .build()) {
      float[][] expected = pytorch.probabilities(batch);
      float[][] actual = classifier.probabilities(batch);
      for (int i = 0; i < batch.size(); i++) {
        assertThat(sameAnswer(actual[i], expected[i])).as("image %d in a batch", i).isTrue();
        assertThat(sameAnswer(classifier.probabilities(batch.get(i)), expected[i]))
            .as("image %d alone", i)
            .isTrue();
      }
      List<Prediction> ours = classifier.classify(batch, 3);
      List<Prediction> theirs = pytorch.classify(batch, 3);
      for (int i = 0; i < batch.size(); i++) {
        assertThat(ours.get(i).top().stream().map(ClassProbability::label))
            .as("image %d's top 3", i)
            .containsExactlyElementsOf(
                theirs.get(i).top().stream().map(ClassProbability::label).toList());
      }
    }
  }

  @Test
  void autoServesWithOnnxRuntimeOnTheCpuWhenTheArtifactCarriesItsOnnxModel() {
    try (Classifier auto =
            Classifier.builder()
                .setArtifact(TrainedModels.syntheticWithOnnx())
                .optEngine(ServingEngine.AUTO)
                .optDevice(DeviceChoice.CPU)
                .build();
        Classifier withoutOnnx =
            Classifier.builder()
                .setArtifact(TrainedModels.synthetic().toArtifact())
                .optEngine(ServingEngine.AUTO)
                .optDevice(DeviceChoice.CPU)
                .build()) {
      assertThat(auto.engine()).isEqualTo(ServingEngine.ONNXRUNTIME);
      assertThat(withoutOnnx.engine()).isEqualTo(ServingEngine.PYTORCH);
    }
  }

  @Test
  void onnxRuntimeNeedsTheOnnxModelAndTheCpu() {
    assertThatThrownBy(
            () ->
                Classifier.builder()
                    .setArtifact(TrainedModels.synthetic().toArtifact())
                    .optEngine(ServingEngine.ONNXRUNTIME)
                    .build())
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("needs the artifact's ONNX model (model.onnx)")
        .hasMessageContaining("cifar:export");
    assertThatThrownBy(
            () ->
                Classifier.builder()
                    .setArtifact(TrainedModels.syntheticWithOnnx())
                    .optEngine(ServingEngine.ONNXRUNTIME)
                    .optDevice(DeviceChoice.GPU)
                    .build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("runs on the CPU");
  }
}
