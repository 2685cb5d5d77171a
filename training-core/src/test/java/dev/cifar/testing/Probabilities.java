package dev.cifar.testing;

/** Comparisons of probability tables for the tests. */
public final class Probabilities {

  private Probabilities() {}

  /**
   * Returns the largest absolute difference between two tables of the same shape.
   *
   * @param a one table, a row per image
   * @param b the other
   * @return the largest {@code |a[i][c] - b[i][c]|}
   */
  public static float maxDifference(float[][] a, float[][] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      for (int c = 0; c < a[i].length; c++) {
        max = Math.max(max, Math.abs(a[i][c] - b[i][c]));
      }
    }
    return max;
  }
}
