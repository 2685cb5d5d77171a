package dev.cifar.classifier;

import java.util.List;

/**
 * The answer for one image: the most probable class and the top-k classes.
 *
 * @param index index of the most probable class
 * @param label its name
 * @param probability its probability
 * @param top the k most probable classes, most probable first
 */
public record Prediction(int index, String label, float probability, List<ClassProbability> top) {

  /**
   * Builds a prediction from class probabilities.
   *
   * @param probabilities one probability per class
   * @param classes the class names
   * @param k how many classes to list, at most the number of classes
   * @return the prediction
   */
  static Prediction of(float[] probabilities, List<String> classes, int k) {
    Integer[] order = new Integer[probabilities.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Float.compare(probabilities[b], probabilities[a]));
    List<ClassProbability> top = new java.util.ArrayList<>(k);
    for (int i = 0; i < k; i++) {
      top.add(new ClassProbability(order[i], classes.get(order[i]), probabilities[order[i]]));
    }
    int best = order[0];
    return new Prediction(best, classes.get(best), probabilities[best], List.copyOf(top));
  }
}
