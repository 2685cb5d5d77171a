package dev.cifar.data;

import dev.cifar.ConfigurationException;
import java.util.Random;

/**
 * A seeded, reproducible split of a training set into train and dev indices, like {@code
 * torch.utils.data.random_split}: one shuffle of all indices, the first {@code trainSize} for
 * training and the next {@code devSize} for dev.
 *
 * @param train indices of the training images
 * @param dev indices of the dev images
 */
public record Split(int[] train, int[] dev) {

  /**
   * Splits {@code total} images.
   *
   * @param total number of images available
   * @param trainSize training images, or {@code -1} for all that the dev split leaves
   * @param devSize dev images
   * @param seed the shuffle seed
   * @return the split
   * @throws ConfigurationException when the sizes do not fit
   */
  public static Split of(int total, int trainSize, int devSize, long seed) {
    if (devSize < 0 || devSize >= total) {
      throw new ConfigurationException(
          "dev size "
              + devSize
              + " must be at least 0 and less than the "
              + total
              + " training images (cifar.devSize)");
    }
    int train = trainSize < 0 ? total - devSize : trainSize;
    if (train <= 0 || train + devSize > total) {
      throw new ConfigurationException(
          "train size "
              + train
              + " plus dev size "
              + devSize
              + " must be positive and at most the "
              + total
              + " training images (cifar.trainSize, cifar.devSize)");
    }
    int[] perm = permutation(total, new Random(seed));
    int[] t = new int[train];
    int[] d = new int[devSize];
    System.arraycopy(perm, 0, t, 0, train);
    System.arraycopy(perm, train, d, 0, devSize);
    return new Split(t, d);
  }

  /**
   * Returns a Fisher-Yates shuffle of {@code 0..n-1}.
   *
   * @param n the count
   * @param random the source of randomness
   * @return the permutation
   */
  public static int[] permutation(int n, Random random) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = p[i];
      p[i] = p[j];
      p[j] = tmp;
    }
    return p;
  }
}
