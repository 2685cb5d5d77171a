package dev.cifar.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How well a model classifies a set of images: overall and per-class accuracy, mean loss and the
 * confusion matrix (rows are true classes, columns predicted classes).
 *
 * @param count number of images evaluated
 * @param loss mean cross-entropy, or NaN when not measured
 * @param accuracy fraction classified right
 * @param classes class names, indexing the arrays
 * @param perClassAccuracy accuracy of each true class (NaN for a class with no images)
 * @param confusion {@code confusion[truth][predicted]} image counts
 */
public record Evaluation(
    int count,
    double loss,
    double accuracy,
    List<String> classes,
    double[] perClassAccuracy,
    int[][] confusion) {

  /**
   * Computes the metrics from true and predicted labels.
   *
   * @param truth true labels
   * @param predicted predicted labels, same length
   * @param lossSum summed loss over all images, or NaN
   * @param classes the class names
   * @return the evaluation
   */
  public static Evaluation of(int[] truth, int[] predicted, double lossSum, List<String> classes) {
    int k = classes.size();
    int[][] confusion = new int[k][k];
    int correct = 0;
    for (int i = 0; i < truth.length; i++) {
      confusion[truth[i]][predicted[i]]++;
      if (truth[i] == predicted[i]) {
        correct++;
      }
    }
    double[] perClass = new double[k];
    for (int c = 0; c < k; c++) {
      int total = 0;
      for (int p = 0; p < k; p++) {
        total += confusion[c][p];
      }
      perClass[c] = total == 0 ? Double.NaN : (double) confusion[c][c] / total;
    }
    int n = truth.length;
    return new Evaluation(
        n,
        n == 0 ? Double.NaN : lossSum / n,
        n == 0 ? Double.NaN : (double) correct / n,
        List.copyOf(classes),
        perClass,
        confusion);
  }

  /**
   * Formats per-class accuracy and the confusion matrix as aligned text lines.
   *
   * @return the lines, for a build log
   */
  public List<String> toTable() {
    List<String> lines = new ArrayList<>();
    int width = Math.max(5, classes.stream().mapToInt(String::length).max().orElse(5));
    StringBuilder header =
        new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s %6s |", "class", "acc"));
    for (int p = 0; p < classes.size(); p++) {
      header.append(String.format(Locale.ROOT, " %5s", abbreviate(classes.get(p))));
    }
    lines.add(header.toString());
    for (int c = 0; c < classes.size(); c++) {
      StringBuilder row =
          new StringBuilder(
              String.format(
                  Locale.ROOT, "%-" + width + "s %6.3f |", classes.get(c), perClassAccuracy[c]));
      for (int p = 0; p < classes.size(); p++) {
        row.append(String.format(Locale.ROOT, " %5d", confusion[c][p]));
      }
      lines.add(row.toString());
    }
    return lines;
  }

  private static String abbreviate(String name) {
    return name.length() <= 5 ? name : name.substring(0, 5);
  }
}
