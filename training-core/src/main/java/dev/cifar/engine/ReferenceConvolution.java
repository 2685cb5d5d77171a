package dev.cifar.engine;

/**
 * A convolution computed in plain Java with double sums, stride 1 and "same" padding, with its two
 * gradients: the reference that {@link PrecisionCheck} holds a CPU's convolutions to, independent
 * of libtorch, oneDNN and any math mode. Arrays are NCHW ({@code n, c, h, w}) and OIHW ({@code o,
 * c, k, k}), flattened; sizes are small, it is only ever run on a few thousand values.
 */
final class ReferenceConvolution {

  private final int n;
  private final int c;
  private final int o;
  private final int h;
  private final int w;
  private final int k;

  /**
   * A convolution of a given geometry.
   *
   * @param n batch size
   * @param c input channels
   * @param o output channels
   * @param h height
   * @param w width
   * @param k kernel side, odd
   */
  ReferenceConvolution(int n, int c, int o, int h, int w, int k) {
    this.n = n;
    this.c = c;
    this.o = o;
    this.h = h;
    this.w = w;
    this.k = k;
  }

  /**
   * @return {@code y[n, o, h, w] = sum over c, i, j of x[n, c, h + i - p, w + j - p] weight[o, c,
   *     i, j]}
   */
  double[] forward(float[] x, float[] weight) {
    double[] y = new double[n * o * h * w];
    each(
        (b, out, in, yy, xx, sy, sx, i, j) ->
            y[((b * o + out) * h + yy) * w + xx] +=
                (double) x[((b * c + in) * h + sy) * w + sx]
                    * weight[((out * c + in) * k + i) * k + j]);
    return y;
  }

  /**
   * @return the gradient of {@code sum(y * upstream)} with respect to the input
   */
  double[] inputGradient(float[] weight, float[] upstream) {
    double[] g = new double[n * c * h * w];
    each(
        (b, out, in, yy, xx, sy, sx, i, j) ->
            g[((b * c + in) * h + sy) * w + sx] +=
                (double) upstream[((b * o + out) * h + yy) * w + xx]
                    * weight[((out * c + in) * k + i) * k + j]);
    return g;
  }

  /**
   * @return the gradient of {@code sum(y * upstream)} with respect to the weight
   */
  double[] weightGradient(float[] x, float[] upstream) {
    double[] g = new double[o * c * k * k];
    each(
        (b, out, in, yy, xx, sy, sx, i, j) ->
            g[((out * c + in) * k + i) * k + j] +=
                (double) upstream[((b * o + out) * h + yy) * w + xx]
                    * x[((b * c + in) * h + sy) * w + sx]);
    return g;
  }

  /** Visits every product of the convolution whose input position lies inside the image. */
  private void each(Term term) {
    int p = k / 2;
    for (int b = 0; b < n; b++) {
      for (int out = 0; out < o; out++) {
        for (int in = 0; in < c; in++) {
          for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < w; xx++) {
              for (int i = 0; i < k; i++) {
                int sy = yy + i - p;
                if (sy < 0 || sy >= h) {
                  continue;
                }
                for (int j = 0; j < k; j++) {
                  int sx = xx + j - p;
                  if (sx >= 0 && sx < w) {
                    term.add(b, out, in, yy, xx, sy, sx, i, j);
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /** One product: batch, output channel, input channel, output position, input position, tap. */
  private interface Term {
    void add(int b, int out, int in, int yy, int xx, int sy, int sx, int i, int j);
  }
}
