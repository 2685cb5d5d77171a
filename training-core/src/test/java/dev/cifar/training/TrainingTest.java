package dev.cifar.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cifar.ConfigurationException;
import dev.cifar.engine.DeviceChoice;
import dev.cifar.evaluation.EpochMetrics;
import dev.cifar.testing.SyntheticCifar;
import dev.cifar.testing.TrainedModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingTest {

  @Test
  void learnsTheSyntheticPatternFarAboveChance() {
    TrainingResult result = TrainedModels.synthetic();
    assertThat(result.history()).hasSize(6);
    EpochMetrics last = result.history().get(5);
    assertThat(last.devAccuracy()).isGreaterThan(0.9);
    assertThat(result.dev().accuracy()).isEqualTo(last.devAccuracy());
    assertThat(result.test().accuracy()).isGreaterThan(0.9);
    assertThat(result.test().count()).isEqualTo(200);
    assertThat(result.history().get(0).trainLoss()).isGreaterThan(last.trainLoss());
    assertThat(last.imagesPerSecond()).isPositive();
    assertThat(result.parameters()).isNotEmpty();
    assertThat(result.device()).startsWith("cpu");
  }

  @Test
  void reportsEveryEpochAndBatchThroughTheListener() {
    List<EpochMetrics> epochs = new ArrayList<>();
    List<String> info = new ArrayList<>();
    int[] batches = new int[1];
    Training.builder()
        .setConfig(TrainingConfig.builder().optEpochs(2).optBatchSize(50).optDevSize(100).build())
        .setTrainingSet(SyntheticCifar.images(400, 3))
        .optListener(
            new ProgressListener() {
              @Override
              public void onInfo(String line) {
                info.add(line);
              }

              @Override
              public void onBatch(int epoch, int batch, int total) {
                batches[0]++;
                assertThat(total).isEqualTo(6);
              }

              @Override
              public void onEpoch(EpochMetrics metrics) {
                epochs.add(metrics);
              }
            })
        .build()
        .run();
    assertThat(epochs).extracting(EpochMetrics::epoch).containsExactly(1, 2);
    assertThat(batches[0]).isEqualTo(12);
    // the run's own line (a first run in the JVM also reports the native allocator before it)
    assertThat(info).anySatisfy(line -> assertThat(line).contains("seed").contains("cpu"));
    assertThat(epochs.get(0).toLogLine())
        .matches(
            "epoch 1/2  train loss \\d+\\.\\d\\d acc \\d\\.\\d\\d \\| dev loss \\d+\\.\\d\\d acc \\d\\.\\d\\d \\| [\\d,]+ img/s \\| \\d+\\.\\d s");
  }

  @Test
  void sameSeedGivesTheSameRun() {
    TrainingConfig config =
        TrainingConfig.builder().optEpochs(1).optBatchSize(32).optDevSize(50).optSeed(9).build();
    TrainingResult a =
        Training.builder()
            .setConfig(config)
            .setTrainingSet(SyntheticCifar.images(300, 4))
            .build()
            .run();
    TrainingResult b =
        Training.builder()
            .setConfig(config)
            .setTrainingSet(SyntheticCifar.images(300, 4))
            .build()
            .run();
    assertThat(a.history().get(0).trainLoss()).isEqualTo(b.history().get(0).trainLoss());
    assertThat(a.parameters()).isEqualTo(b.parameters());
  }

  @Test
  void invalidOptionsNameTheirParameter() {
    assertThatThrownBy(() -> TrainingConfig.builder().optNetwork("resnet999").build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("known networks are seed");
    assertThatThrownBy(() -> TrainingConfig.builder().optEpochs(0).build())
        .hasMessageContaining("cifar.epochs");
    assertThatThrownBy(() -> TrainingConfig.builder().optBatchSize(0).build())
        .hasMessageContaining("cifar.batchSize");
    assertThatThrownBy(() -> TrainingConfig.builder().optLearningRate(-1).build())
        .hasMessageContaining("cifar.learningRate");
    assertThatThrownBy(() -> DeviceChoice.parse("tpu")).hasMessageContaining("cifar.device");
  }

  @Test
  void demandingAMissingGpuIsAnErrorNotAFallback() {
    TrainingConfig config =
        TrainingConfig.builder().optDevice(DeviceChoice.GPU).optDevSize(10).build();
    assertThatThrownBy(
            () ->
                Training.builder()
                    .setConfig(config)
                    .setTrainingSet(SyntheticCifar.images(50, 1))
                    .build()
                    .run())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no GPU");
  }
}
