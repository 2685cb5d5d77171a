package dev.cifar.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

  private static final List<String> ABC = List.of("a", "b", "c");

  @Test
  void predictsTheMostProbableClassAndAveragesPlainCrossEntropy() {
    Evaluator evaluator = new Evaluator(ABC, 1);
    evaluator.add(0, new float[] {0.7f, 0.2f, 0.1f});
    evaluator.add(1, new float[] {0.5f, 0.25f, 0.25f});
    evaluator.addAll(new long[] {2, 2}, new float[] {0.1f, 0.1f, 0.8f, 0f, 1f, 0f});
    Evaluation e = evaluator.result();
    assertThat(e.count()).isEqualTo(4);
    assertThat(e.accuracy()).isCloseTo(0.5, within(1e-9));
    assertThat(e.confusion()[1]).containsExactly(1, 0, 0);
    assertThat(e.confusion()[2]).containsExactly(0, 1, 1);
    double expected = (-Math.log(0.7f) - Math.log(0.25f) - Math.log(0.8f) - Math.log(1e-12)) / 4;
    assertThat(e.loss())
        .as("a probability of 0 costs -ln 1e-12, not infinity")
        .isCloseTo(expected, within(1e-6));
  }

  @Test
  void refusesWhatDoesNotFit() {
    Evaluator evaluator = new Evaluator(ABC, 2);
    assertThatThrownBy(() -> evaluator.add(3, new float[] {1, 0, 0}))
        .hasMessageContaining("label 3");
    assertThatThrownBy(() -> evaluator.add(0, new float[] {1, 0}))
        .hasMessageContaining("2 probabilities");
    assertThatThrownBy(() -> evaluator.addAll(new long[] {0, 1}, new float[5]))
        .hasMessageContaining("5 probabilities");
    assertThat(evaluator.result().count()).isZero();
  }
}
