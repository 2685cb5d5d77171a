package dev.cifar.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cifar.data.ImageConversion;
import dev.cifar.data.LabeledImages;
import dev.cifar.testing.SyntheticCifar;
import dev.cifar.testing.TrainedModels;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What a classifier does on every engine: {@link ClassifierTest} runs it on PyTorch, {@link
 * OnnxRuntimeClassifierTest} on ONNX Runtime.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ClassifierContract {

  Classifier classifier;
  LabeledImages images;

  /**
   * Returns the engine under test.
   *
   * @return the engine every classifier of the test runs on
   */
  abstract ServingEngine engine();

  /**
   * Returns a builder over the synthetic model on the engine under test.
   *
   * @return the builder
   */
  Classifier.Builder builder() {
    return Classifier.builder().setArtifact(TrainedModels.syntheticWithOnnx()).optEngine(engine());
  }

  @BeforeAll
  void load() {
    classifier = builder().optPoolSize(4).build();
    images = SyntheticCifar.images(64, 99);
  }

  @AfterAll
  void close() {
    classifier.close();
  }

  @Test
  void runsOnTheEngineAskedFor() {
    assertThat(classifier.engine()).isEqualTo(engine());
    assertThat(classifier.device().isGpu()).isFalse();
  }

  @Test
  void classifiesKnownImagesWithTopKInOrder() {
    int correct = 0;
    for (int i = 0; i < images.size(); i++) {
      Prediction p = classifier.classify(images.image(i), 3);
      assertThat(p.top()).hasSize(3);
      assertThat(p.top().get(0).index()).isEqualTo(p.index());
      assertThat(p.top().get(0).probability()).isGreaterThanOrEqualTo(p.top().get(1).probability());
      assertThat(p.top().get(1).probability()).isGreaterThanOrEqualTo(p.top().get(2).probability());
      assertThat(p.label()).isEqualTo(SyntheticCifar.CLASSES.get(p.index()));
      if (p.index() == images.label(i)) {
        correct++;
      }
    }
    assertThat(correct).isGreaterThan(55);
  }

  @Test
  void probabilitiesSumToOne() {
    float[][] p = classifier.probabilities(List.of(images.image(0), images.image(1)));
    for (float[] row : p) {
      double sum = 0;
      for (float v : row) {
        sum += v;
      }
      assertThat(sum).isBetween(0.999, 1.001);
    }
  }

  @Test
  void batchEqualsSingles() {
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      batch.add(images.image(i));
    }
    List<Prediction> together = classifier.classify(batch, 2);
    for (int i = 0; i < batch.size(); i++) {
      Prediction alone = classifier.classify(batch.get(i), 2);
      assertThat(together.get(i).index()).isEqualTo(alone.index());
      assertThat(together.get(i).probability())
          .isCloseTo(alone.probability(), org.assertj.core.data.Offset.offset(1e-5f));
    }
  }

  @Test
  void concurrentCallsGiveIndependentCorrectAnswers() throws Exception {
    int[] expected = new int[images.size()];
    for (int i = 0; i < images.size(); i++) {
      expected[i] = classifier.classify(images.image(i), 1).index();
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int offset = t;
        results.add(
            pool.submit(
                () -> {
                  for (int r = 0; r < 100; r++) {
                    int i = (offset * 7 + r) % images.size();
                    if (classifier.classify(images.image(i), 1).index() != expected[i]) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The same class and the same probabilities to 1e-5: a batch's row is not always bit for bit the
   * single image's, because libtorch's CPU kernels block their sums by batch size (the last bits of
   * a 1e-6 probability move); anything coalesced wrongly (another image's answer) differs by far
   * more.
   */
  static boolean sameAnswer(float[] actual, float[] expected) {
    if (actual.length != expected.length || argmax(actual) != argmax(expected)) {
      return false;
    }
    for (int c = 0; c < actual.length; c++) {
      if (Math.abs(actual[c] - expected[c]) > 1e-5f) {
        return false;
      }
    }
    return true;
  }

  private static int argmax(float[] p) {
    int best = 0;
    for (int c = 1; c < p.length; c++) {
      best = p[c] > p[best] ? c : best;
    }
    return best;
  }

  @Test
  void concurrentSingleImagesGiveTheSequentialAnswers() throws Exception {
    float[][] expected = new float[images.size()][];
    for (int i = 0; i < images.size(); i++) {
      expected[i] = classifier.probabilities(images.image(i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        int offset = t;
        results.add(
            pool.submit(
                () -> {
                  int differing = 0;
                  for (int r = 0; r < 100; r++) {
                    int i = (offset * 5 + r) % images.size();
                    differing +=
                        sameAnswer(classifier.probabilities(images.image(i)), expected[i]) ? 0 : 1;
                  }
                  return differing;
                }));
      }
      for (Future<Integer> f : results) {
        assertThat(f.get()).isZero();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void imagesQueuedBehindABusyPredictorShareOneForwardPassWithTheirOwnAnswers() throws Exception {
    try (Classifier one = builder().optPoolSize(1).build()) {
      float[][] expected = new float[12][];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = one.probabilities(images.image(i));
      }
      BatchStatistics before = one.batchStatistics();
      assertThat(before).isEqualTo(new BatchStatistics(12, 12, 1));
      var predictor = one.coalescer().borrow();
      ExecutorService pool = Executors.newFixedThreadPool(expected.length);
      try {
        List<Future<float[]>> answers = new ArrayList<>();
        for (int i = 0; i < expected.length; i++) {
          byte[] image = images.image(i);
          answers.add(pool.submit(() -> one.probabilities(image)));
        }
        while (one.coalescer().queued() < expected.length) {
          Thread.onSpinWait();
        }
        one.coalescer().release(predictor);
        for (int i = 0; i < expected.length; i++) {
          float[] answer = answers.get(i).get();
          assertThat(sameAnswer(answer, expected[i]))
              .as("image %d: %s vs %s", i, Arrays.toString(answer), Arrays.toString(expected[i]))
              .isTrue();
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(one.batchStatistics()).isEqualTo(new BatchStatistics(24, 13, 12));
    }
  }

  @Test
  void aBusyClassifierAnswersWithClassifierBusyException() {
    try (Classifier one = builder().optPoolSize(1).optWaitTimeout(Duration.ofMillis(20)).build()) {
      var predictor = one.coalescer().borrow();
      try {
        assertThatThrownBy(() -> one.classify(images.image(0), 1))
            .isInstanceOf(ClassifierBusyException.class);
        assertThatThrownBy(() -> one.classify(List.of(images.image(0)), 1))
            .isInstanceOf(ClassifierBusyException.class);
      } finally {
        one.coalescer().release(predictor);
      }
      assertThat(one.classify(images.image(0), 1).index())
          .isEqualTo(classifier.classify(images.image(0), 1).index());
    }
  }

  @Test
  void closingFailsQueuedImagesWaitsForTheRunningPassAndRefusesLaterCalls() throws Exception {
    Classifier one = builder().optPoolSize(1).build();
    var predictor = one.coalescer().borrow();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Prediction>> queued = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        byte[] image = images.image(i);
        queued.add(pool.submit(() -> one.classify(image, 1)));
      }
      while (one.coalescer().queued() < 3) {
        Thread.onSpinWait();
      }
      Future<?> closing = pool.submit(one::close);
      for (Future<Prediction> f : queued) {
        assertThatThrownBy(f::get)
            .cause()
            .isInstanceOf(ClassifierClosedException.class)
            .hasMessageContaining("the classifier is closed");
      }
      assertThat(closing.isDone()).as("close waits for the borrowed predictor").isFalse();
      one.coalescer().release(predictor);
      closing.get();
      assertThatThrownBy(() -> one.classify(images.image(0), 1))
          .isInstanceOf(ClassifierClosedException.class);
      assertThatThrownBy(() -> one.probabilities(List.of(images.image(0))))
          .isInstanceOf(ClassifierClosedException.class);
      one.close();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void coalescingSettingsAreChecked() {
    assertThatThrownBy(() -> Classifier.builder().optMaxBatch(0))
        .hasMessageContaining("between 1 and 4096, not 0");
    assertThatThrownBy(() -> Classifier.builder().optMaxDelay(Duration.ofMillis(-1)))
        .hasMessageContaining("max delay");
  }

  @Test
  void largerBufferedImagesAreResizedLikeTheTrainingData() {
    byte[] original = images.image(5);
    BufferedImage small = ImageConversion.toImage(original);
    assertThat(ImageConversion.toCifarBytes(small)).isEqualTo(original);
    BufferedImage big = new BufferedImage(128, 128, BufferedImage.TYPE_INT_ARGB);
    var g = big.createGraphics();
    g.drawImage(small, 0, 0, 128, 128, null);
    g.dispose();
    assertThat(classifier.classify(big, 1).index())
        .isEqualTo(classifier.classify(original, 1).index());
  }

  @Test
  void badInputIsRejectedWithAReason() {
    assertThatThrownBy(() -> classifier.classify(new byte[10], 1)).hasMessageContaining("10 bytes");
    assertThatThrownBy(() -> classifier.classify(images.image(0), 0))
        .hasMessageContaining("top must be between 1 and 10");
    assertThatThrownBy(() -> classifier.classify(images.image(0), 11))
        .hasMessageContaining("not 11");
  }
}
