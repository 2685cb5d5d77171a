package dev.cifar.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationTest {

  @Test
  void confusionRowsAreTruthColumnsArePredictions() {
    Evaluation e =
        Evaluation.of(
            new int[] {0, 0, 1, 1, 2}, new int[] {0, 1, 1, 1, 0}, 10.0, List.of("a", "b", "c"));
    assertThat(e.count()).isEqualTo(5);
    assertThat(e.accuracy()).isCloseTo(0.6, within(1e-9));
    assertThat(e.loss()).isCloseTo(2.0, within(1e-9));
    assertThat(e.confusion()[0]).containsExactly(1, 1, 0);
    assertThat(e.confusion()[1]).containsExactly(0, 2, 0);
    assertThat(e.confusion()[2]).containsExactly(1, 0, 0);
    assertThat(e.perClassAccuracy()).containsExactly(0.5, 1.0, 0.0);
    assertThat(e.toTable()).hasSize(4);
    assertThat(e.toTable().get(2)).startsWith("b").contains("1.000");
  }
}
