package dev.cifar.network;

import dev.cifar.data.LabeledImages;
import java.util.Arrays;

/**
 * The fixed first layer of the {@code fast} network: 2x2 filters that whiten image patches. The
 * covariance of the normalised 2x2x3 patches of (up to) 5,000 training images is decomposed into
 * eigenvectors; each eigenvector scaled by {@code 1/sqrt(eigenvalue + 5e-4)} and its negative make
 * the 24 filters.
 */
final class Whitening {

  /** Filters of the layer: the 12 scaled eigenvectors and their negatives. */
  static final int FILTERS = 24;

  static final int IMAGES = 5000;
  private static final int K = 2;
  private static final int DIM = LabeledImages.CHANNELS * K * K;
  private static final double EPSILON = 5e-4;

  private Whitening() {}

  /**
   * Computes the filters.
   *
   * @param images the training images
   * @param indices which of them may be used (the training split); the first 5,000 are
   * @param normalization the network's input normalisation
   * @return {@code (24, 3, 2, 2)} weights, row-major
   */
  static float[] filters(LabeledImages images, int[] indices, Normalization normalization) {
    double[][] covariance = covariance(images, indices, normalization);
    Eigen eigen = Eigen.of(covariance);
    float[] out = new float[FILTERS * DIM];
    for (int f = 0; f < DIM; f++) {
      int column = eigen.order[f];
      double scale = 1 / Math.sqrt(Math.max(0, eigen.values[column]) + EPSILON);
      for (int d = 0; d < DIM; d++) {
        float v = (float) (eigen.vectors[d][column] * scale);
        out[f * DIM + d] = v;
        out[(f + DIM) * DIM + d] = -v;
      }
    }
    return out;
  }

  private static double[][] covariance(
      LabeledImages images, int[] indices, Normalization normalization) {
    int n = Math.min(IMAGES, indices.length);
    int side = LabeledImages.SIDE;
    int plane = side * side;
    byte[] pixels = images.pixels();
    double[][] sums = new double[DIM][DIM];
    double[] patch = new double[DIM];
    float[] image = new float[LabeledImages.CHANNELS * plane];
    long count = 0;
    for (int i = 0; i < n; i++) {
      int offset = indices[i] * LabeledImages.CHANNELS * plane;
      for (int c = 0; c < LabeledImages.CHANNELS; c++) {
        float mean = normalization.mean()[c];
        float std = normalization.std()[c];
        for (int p = 0; p < plane; p++) {
          image[c * plane + p] = ((pixels[offset + c * plane + p] & 0xFF) / 255f - mean) / std;
        }
      }
      for (int y = 0; y + K <= side; y++) {
        for (int x = 0; x + K <= side; x++) {
          int d = 0;
          for (int c = 0; c < LabeledImages.CHANNELS; c++) {
            for (int dy = 0; dy < K; dy++) {
              for (int dx = 0; dx < K; dx++) {
                patch[d++] = image[c * plane + (y + dy) * side + x + dx];
              }
            }
          }
          for (int a = 0; a < DIM; a++) {
            for (int b = a; b < DIM; b++) {
              sums[a][b] += patch[a] * patch[b];
            }
          }
          count++;
        }
      }
    }
    for (int a = 0; a < DIM; a++) {
      for (int b = a; b < DIM; b++) {
        sums[a][b] /= Math.max(1, count);
        sums[b][a] = sums[a][b];
      }
    }
    return sums;
  }

  /** Eigenvalues and eigenvectors of a small symmetric matrix, by cyclic Jacobi rotations. */
  static final class Eigen {
    final double[] values;

    /** Column {@code j} is the eigenvector of {@code values[j]}. */
    final double[][] vectors;

    /** Column indices by descending eigenvalue. */
    final int[] order;

    private Eigen(double[] values, double[][] vectors) {
      this.values = values;
      this.vectors = vectors;
      this.order =
          java.util.stream.IntStream.range(0, values.length)
              .boxed()
              .sorted((x, y) -> Double.compare(values[y], values[x]))
              .mapToInt(Integer::intValue)
              .toArray();
    }

    static Eigen of(double[][] matrix) {
      int n = matrix.length;
      double[][] a = new double[n][];
      for (int i = 0; i < n; i++) {
        a[i] = Arrays.copyOf(matrix[i], n);
      }
      double[][] v = new double[n][n];
      for (int i = 0; i < n; i++) {
        v[i][i] = 1;
      }
      for (int sweep = 0; sweep < 100; sweep++) {
        double off = 0;
        for (int p = 0; p < n; p++) {
          for (int q = p + 1; q < n; q++) {
            off += a[p][q] * a[p][q];
          }
        }
        if (off < 1e-24) {
          break;
        }
        for (int p = 0; p < n; p++) {
          for (int q = p + 1; q < n; q++) {
            if (Math.abs(a[p][q]) < 1e-300) {
              continue;
            }
            double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
            double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
            if (theta == 0) {
              t = 1;
            }
            double c = 1 / Math.sqrt(t * t + 1);
            double s = t * c;
            for (int k = 0; k < n; k++) {
              double akp = a[k][p];
              double akq = a[k][q];
              a[k][p] = c * akp - s * akq;
              a[k][q] = s * akp + c * akq;
            }
            for (int k = 0; k < n; k++) {
              double apk = a[p][k];
              double aqk = a[q][k];
              a[p][k] = c * apk - s * aqk;
              a[q][k] = s * apk + c * aqk;
            }
            for (int k = 0; k < n; k++) {
              double vkp = v[k][p];
              double vkq = v[k][q];
              v[k][p] = c * vkp - s * vkq;
              v[k][q] = s * vkp + c * vkq;
            }
          }
        }
      }
      double[] values = new double[n];
      for (int i = 0; i < n; i++) {
        values[i] = a[i][i];
      }
      return new Eigen(values, v);
    }
  }
}
