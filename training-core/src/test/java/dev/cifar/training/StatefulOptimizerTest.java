package dev.cifar.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import dev.cifar.engine.Engines;
import dev.cifar.recipe.Schedule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fused updates against PyTorch's formulas, computed here in double precision step by step:
 * Adam and Nesterov SGD, rate scales, frozen parameters, zeroed gradients and resumed state.
 */
class StatefulOptimizerTest {

  private static final float[] START = {1f, -2f, 0.5f};
  private static final float[] GRADIENT = {0.5f, 0.25f, -1.5f};

  @BeforeAll
  static void engine() {
    Engines.pytorch();
  }

  private static LearningRateSchedule constant(float rate) {
    return new LearningRateSchedule(rate, Schedule.Shape.CONSTANT, 0, 10);
  }

  /** Sets {@code w}'s gradient to {@code g} through a backward pass of {@code sum(w * g)}. */
  private static void backward(NDArray w, float[] g) {
    try (GradientCollector c = Engine.getEngine(Engines.ENGINE).newGradientCollector();
        NDArray gradient = w.getManager().create(g)) {
      c.backward(w.mul(gradient).sum());
    }
  }

  private static NDArray weight(NDManager m) {
    NDArray w = m.create(START);
    w.setRequiresGradient(true);
    return w;
  }

  private static void assertClose(NDArray actual, double[] expected, double tolerance) {
    float[] a = actual.toFloatArray();
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) a[i]).as("element %d", i).isCloseTo(expected[i], within(tolerance));
    }
  }

  @Test
  void adamFollowsPyTorchsFormulaWithWeightDecay() {
    try (NDManager m = NDManager.newBaseManager(Engines.ENGINE);
        StatefulOptimizer adam = new StatefulOptimizer.Adam(constant(0.01f), 0.1f, Device.cpu())) {
      NDArray w = weight(m);
      double[] weight = {1, -2, 0.5};
      double[] mean = new double[3];
      double[] variance = new double[3];
      for (int step = 1; step <= 3; step++) {
        backward(w, GRADIENT);
        adam.step(List.of(new Pair<>("w", w)));
        for (int i = 0; i < 3; i++) {
          double g = GRADIENT[i] + 0.1 * weight[i];
          mean[i] = 0.9 * mean[i] + 0.1 * g;
          variance[i] = 0.999 * variance[i] + 0.001 * g * g;
          double denominator = Math.sqrt(variance[i]) / Math.sqrt(1 - Math.pow(0.999, step)) + 1e-8;
          weight[i] -= 0.01 / (1 - Math.pow(0.9, step)) * mean[i] / denominator;
        }
      }
      assertClose(w, weight, 1e-6);
      assertThat(w.getGradient().toFloatArray())
          .as("the gradient is zeroed for the next backward pass")
          .containsOnly(0f);
      assertThat(adam.state("w").steps()).isEqualTo(3);
    }
  }

  @Test
  void nesterovSgdFollowsPyTorchsFormula() {
    try (NDManager m = NDManager.newBaseManager(Engines.ENGINE);
        StatefulOptimizer sgd =
            new StatefulOptimizer.NesterovSgd(constant(0.1f), 0.9f, 0.01f, Device.cpu())) {
      NDArray w = weight(m);
      double[] weight = {1, -2, 0.5};
      double[] buffer = new double[3];
      for (int step = 0; step < 3; step++) {
        backward(w, GRADIENT);
        sgd.step(List.of(new Pair<>("w", w)));
        for (int i = 0; i < 3; i++) {
          double e = GRADIENT[i] + 0.01 * weight[i];
          buffer[i] = 0.9 * buffer[i] + e;
          weight[i] -= 0.1 * (e + 0.9 * buffer[i]);
        }
      }
      assertClose(w, weight, 1e-6);
      assertThat(w.getGradient().toFloatArray()).containsOnly(0f);
    }
  }

  @Test
  void aScaledParameterLearnsFasterWithItsDecayDividedAndOthersKeepTheSchedule() {
    try (NDManager m = NDManager.newBaseManager(Engines.ENGINE);
        StatefulOptimizer sgd =
            new StatefulOptimizer.NesterovSgd(constant(0.1f), 0f, 0.5f, Device.cpu())) {
      NDArray plain = weight(m);
      NDArray scaled = weight(m);
      sgd.scaleRate("scaled", 4f);
      backward(plain, GRADIENT);
      backward(scaled, GRADIENT);
      sgd.step(List.of(new Pair<>("plain", plain), new Pair<>("scaled", scaled)));
      double[] plainExpected = new double[3];
      double[] scaledExpected = new double[3];
      for (int i = 0; i < 3; i++) {
        plainExpected[i] = START[i] - 0.1 * (GRADIENT[i] + 0.5 * START[i]);
        scaledExpected[i] = START[i] - 0.4 * (GRADIENT[i] + 0.125 * START[i]);
      }
      assertClose(plain, plainExpected, 1e-6);
      assertClose(scaled, scaledExpected, 1e-6);
    }
  }

  @Test
  void aParameterLeftOutOfAStepKeepsItsWeightAndStepCount() {
    try (NDManager m = NDManager.newBaseManager(Engines.ENGINE);
        StatefulOptimizer adam = new StatefulOptimizer.Adam(constant(0.01f), 0f, Device.cpu())) {
      NDArray body = weight(m);
      NDArray head = weight(m);
      backward(body, GRADIENT);
      backward(head, GRADIENT);
      adam.step(List.of(new Pair<>("body", body), new Pair<>("head", head)));
      float[] frozen = body.toFloatArray();
      backward(head, GRADIENT);
      adam.step(List.of(new Pair<>("head", head)));
      assertThat(body.toFloatArray()).containsExactly(frozen);
      assertThat(adam.state("body").steps()).isEqualTo(1);
      assertThat(adam.state("head").steps()).isEqualTo(2);
      // steps 2 of body and 3 of head go in two calls, each with its own bias correction
      backward(body, GRADIENT);
      backward(head, GRADIENT);
      adam.step(List.of(new Pair<>("body", body), new Pair<>("head", head)));
      assertThat(adam.state("body").steps()).isEqualTo(2);
      assertThat(adam.state("head").steps()).isEqualTo(3);
    }
  }

  @Test
  void aRestoredStateContinuesExactlyAsAnUninterruptedRun() {
    try (NDManager m = NDManager.newBaseManager(Engines.ENGINE);
        StatefulOptimizer straight = new StatefulOptimizer.Adam(constant(0.01f), 0f, Device.cpu());
        StatefulOptimizer first = new StatefulOptimizer.Adam(constant(0.01f), 0f, Device.cpu());
        StatefulOptimizer resumed = new StatefulOptimizer.Adam(constant(0.01f), 0f, Device.cpu())) {
      NDArray a = weight(m);
      NDArray b = weight(m);
      for (int step = 0; step < 4; step++) {
        backward(a, GRADIENT);
        straight.step(List.of(new Pair<>("w", a)));
        backward(b, GRADIENT);
        (step < 2 ? first : resumed).step(List.of(new Pair<>("w", b)));
        if (step == 1) {
          StatefulOptimizer.State s = first.state("w");
          resumed.restore(
              "w",
              new StatefulOptimizer.State(
                  s.steps(), s.arrays().stream().map(NDArray::duplicate).toList()));
        }
      }
      assertThat(b.toFloatArray()).containsExactly(a.toFloatArray());
    }
  }
}
