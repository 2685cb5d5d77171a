package dev.cifar.evaluation;

import java.util.Arrays;
import java.util.List;

/**
 * The one way the project measures a model on labelled images: the training loop's dev and test
 * figures, the classifier's, the report's and {@code cifar:evaluate}'s. It takes each image's class
 * probabilities (after any test-time augmentation, as served), predicts the most probable class,
 * and reports plain cross-entropy, {@code -ln p(true class)}, whatever loss a network was trained
 * with (label smoothing changes the training objective, never this figure).
 */
public final class Evaluator {

  /** Probabilities below this count as this, so that a confident mistake costs a finite loss. */
  static final double MIN_PROBABILITY = 1e-12;

  private final List<String> classes;
  private int[] truth;
  private int[] predicted;
  private int count;
  private double lossSum;

  /**
   * Starts an evaluation.
   *
   * @param classes the class names, indexed by label
   * @param expected how many images are coming (a hint)
   */
  public Evaluator(List<String> classes, int expected) {
    this.classes = List.copyOf(classes);
    this.truth = new int[Math.max(expected, 1)];
    this.predicted = new int[truth.length];
  }

  /**
   * Adds one image.
   *
   * @param label its true class
   * @param probabilities one probability per class
   * @throws IllegalArgumentException when the label or the number of probabilities does not fit
   */
  public void add(int label, float[] probabilities) {
    if (probabilities.length != classes.size()) {
      throw new IllegalArgumentException(
          probabilities.length + " probabilities for " + classes.size() + " classes");
    }
    accumulate(label, probabilities, 0);
  }

  /**
   * Adds a batch whose probabilities lie row after row in one array, as a {@code (n, classes)}
   * tensor's {@code toFloatArray()} gives them.
   *
   * @param labels the true classes
   * @param probabilities {@code labels.length * classes} probabilities
   * @throws IllegalArgumentException when the sizes do not fit
   */
  public void addAll(long[] labels, float[] probabilities) {
    if (probabilities.length != labels.length * classes.size()) {
      throw new IllegalArgumentException(
          probabilities.length
              + " probabilities for "
              + labels.length
              + " images of "
              + classes.size()
              + " classes");
    }
    for (int i = 0; i < labels.length; i++) {
      accumulate(Math.toIntExact(labels[i]), probabilities, i * classes.size());
    }
  }

  private void accumulate(int label, float[] probabilities, int offset) {
    int k = classes.size();
    if (label < 0 || label >= k) {
      throw new IllegalArgumentException("label " + label + " is not one of the " + k + " classes");
    }
    int best = 0;
    for (int c = 1; c < k; c++) {
      best = probabilities[offset + c] > probabilities[offset + best] ? c : best;
    }
    if (count == truth.length) {
      truth = Arrays.copyOf(truth, count * 2);
      predicted = Arrays.copyOf(predicted, count * 2);
    }
    truth[count] = label;
    predicted[count] = best;
    count++;
    lossSum -= Math.log(Math.max(probabilities[offset + label], MIN_PROBABILITY));
  }

  /**
   * Returns the figures of the images added so far.
   *
   * @return accuracy, per-class accuracy, mean cross-entropy and confusion matrix
   */
  public Evaluation result() {
    return Evaluation.of(
        Arrays.copyOf(truth, count), Arrays.copyOf(predicted, count), lossSum, classes);
  }
}
