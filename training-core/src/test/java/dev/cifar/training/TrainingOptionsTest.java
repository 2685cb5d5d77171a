package dev.cifar.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cifar.ConfigurationException;
import dev.cifar.engine.DeviceChoice;
import dev.cifar.network.TestTimeAugmentation;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingOptionsTest {

  @Test
  void optionsByNameSetTheConfigurationAndTheRestIsTheRecipes() {
    Map<String, String> options = new HashMap<>();
    options.put(TrainingOptions.NETWORK, "fast");
    options.put(TrainingOptions.EPOCHS, "20");
    options.put(TrainingOptions.TTA, "flip");
    options.put(TrainingOptions.DEVICE, "cpu");
    options.put(TrainingOptions.KEEP_BEST, "false");
    options.put(TrainingOptions.LEARNING_RATE, null);
    TrainingConfig config = TrainingOptions.parse(options).build();
    assertThat(config.network()).isEqualTo("fast");
    assertThat(config.epochs()).isEqualTo(20);
    assertThat(config.tta()).isEqualTo(TestTimeAugmentation.FLIP);
    assertThat(config.device()).isEqualTo(DeviceChoice.CPU);
    assertThat(config.keepBest()).isFalse();
    assertThat(config.optimizer().learningRate()).as("fast's recipe").isEqualTo(1.5f);
    assertThat(config.warmupEpochs()).as("fast's recipe, over 20 epochs").isEqualTo(4.6f);
    assertThat(TrainingOptions.parse(Map.of()).build().epochs())
        .isEqualTo(TrainingConfig.DEFAULT_EPOCHS);
  }

  @Test
  void badTextAndUnknownNamesAreNamed() {
    assertThatThrownBy(() -> TrainingOptions.parse(Map.of(TrainingOptions.EPOCHS, "ten")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("cifar.epochs must be a whole number, not 'ten'");
    assertThatThrownBy(() -> TrainingOptions.parse(Map.of(TrainingOptions.EMA, "NaN")))
        .hasMessage("cifar.ema must be a number, not 'NaN'");
    assertThatThrownBy(() -> TrainingOptions.parse(Map.of(TrainingOptions.LOOKAHEAD, "yes")))
        .hasMessage("cifar.lookahead must be true or false, not 'yes'");
    assertThatThrownBy(() -> TrainingOptions.parse(Map.of("cifar.epoch", "3")))
        .hasMessageStartingWith("Unknown training option 'cifar.epoch'");
    assertThatThrownBy(() -> TrainingOptions.parse(Map.of(TrainingOptions.MEAN, "0.5,0.5,0.5")))
        .hasMessageContaining("cifar.mean and cifar.std go together");
    assertThat(TrainingOptions.names()).contains("cifar.epochs", "cifar.pretrained").hasSize(28);
  }
}
