package dev.cifar.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cifar.ConfigurationException;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitTest {

  @Test
  void sameSeedSameSplitOtherSeedOtherSplit() {
    Split a = Split.of(50_000, -1, 5_000, 42);
    Split b = Split.of(50_000, -1, 5_000, 42);
    Split c = Split.of(50_000, -1, 5_000, 43);
    assertThat(a.train()).hasSize(45_000).isEqualTo(b.train());
    assertThat(a.dev()).hasSize(5_000).isEqualTo(b.dev());
    assertThat(a.dev()).isNotEqualTo(c.dev());
  }

  @Test
  void trainAndDevAreDisjointAndCoverEverything() {
    Split s = Split.of(1000, -1, 100, 1);
    int[] all =
        IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.dev())).sorted().toArray();
    assertThat(all).isEqualTo(IntStream.range(0, 1000).toArray());
    // shuffled, not the first indices in order
    assertThat(s.dev()).isNotEqualTo(IntStream.range(900, 1000).toArray());
  }

  @Test
  void explicitTrainSizeLeavesTheRestUnused() {
    Split s = Split.of(1000, 300, 100, 1);
    assertThat(s.train()).hasSize(300);
    assertThat(s.dev()).hasSize(100);
  }

  @Test
  void sizesThatDoNotFitNameTheParameter() {
    assertThatThrownBy(() -> Split.of(100, -1, 100, 1))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cifar.devSize");
    assertThatThrownBy(() -> Split.of(100, 90, 20, 1))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cifar.trainSize");
  }
}
