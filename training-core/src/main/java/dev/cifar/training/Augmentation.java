package dev.cifar.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.cifar.recipe.BatchAugmentation;
import java.util.Random;
import java.util.Set;

/**
 * Augments a training batch on the training device, as one tensor: horizontal flips (random, or
 * alternating: random in the first epoch, then every image the other way round each epoch), random
 * translations (a 32x32 crop of the image padded by 4 pixels with zeros, or by 2 pixels with its
 * reflected edges) and cutout (an 8x8 square set to the mean). The random choices come from a
 * seeded {@link Random} per batch, or for alternating flips from the run's seed and the image, so a
 * run and its resumption augment identically; labels are untouched.
 */
public final class Augmentation {

  static final int PAD = 4;
  static final int TRANSLATE = 2;
  static final int CUTOUT = 8;

  private final Set<BatchAugmentation> kinds;
  private final long seed;

  /**
   * Prepares the augmentations of a run.
   *
   * @param kinds what to apply
   * @param seed the run's seed, which decides the alternating flips
   */
  Augmentation(Set<BatchAugmentation> kinds, long seed) {
    this.kinds = kinds;
    this.seed = seed;
  }

  boolean isEmpty() {
    return kinds.isEmpty();
  }

  /**
   * Flips and translates a uint8 batch.
   *
   * @param batch {@code (n, c, h, w)} uint8, on the training device
   * @param images the training-set index of each image of the batch
   * @param epoch the epoch, from 1
   * @param random the batch's seeded randomness
   * @param manager owns the results
   * @return the augmented batch, same shape and type
   */
  NDArray geometric(NDArray batch, long[] images, int epoch, Random random, NDManager manager) {
    NDArray x = batch;
    long n = x.getShape().get(0);
    long c = x.getShape().get(1);
    long h = x.getShape().get(2);
    long w = x.getShape().get(3);
    if (kinds.contains(BatchAugmentation.FLIP) || kinds.contains(BatchAugmentation.ALTFLIP)) {
      boolean[] flip = new boolean[(int) n];
      for (int i = 0; i < n; i++) {
        flip[i] =
            kinds.contains(BatchAugmentation.FLIP)
                ? random.nextBoolean()
                : alternatingFlip(images[i], epoch);
      }
      NDArray mask = manager.create(flip).reshape(n, 1, 1, 1).broadcast(n, c, h, w);
      x = NDArrays.where(mask, x.flip(3), x);
    }
    if (kinds.contains(BatchAugmentation.CROP)) {
      NDArray padded = manager.zeros(new Shape(n, c, h + 2 * PAD, w + 2 * PAD), x.getDataType());
      padded.set(new NDIndex(":, :, {}:{}, {}:{}", PAD, PAD + h, PAD, PAD + w), x);
      x = crop(padded, n, c, h, w, PAD, random, manager, false);
    } else if (kinds.contains(BatchAugmentation.TRANSLATE)) {
      x = crop(x, n, c, h, w, TRANSLATE, random, manager, true);
    }
    return x;
  }

  /**
   * Whether an image is mirrored in an epoch under alternating flips: a seeded coin per image
   * decides the first epoch, and the answer alternates from there.
   *
   * @param image the image's training-set index
   * @param epoch the epoch, from 1
   * @return whether to flip it
   */
  boolean alternatingFlip(long image, int epoch) {
    long z = seed * 0x9E3779B97F4A7C15L + image;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return ((z & 1) == 1) ^ (epoch % 2 == 0);
  }

  /**
   * Cuts a random h x w window out of each image moved by up to {@code pad} pixels: from an already
   * padded batch, or, with {@code reflect}, from the batch itself with its edges reflected (a row
   * or column outside maps to its mirror inside).
   */
  private static NDArray crop(
      NDArray source,
      long n,
      long c,
      long h,
      long w,
      int pad,
      Random random,
      NDManager manager,
      boolean reflect) {
    long[] rows = new long[(int) (n * h)];
    long[] cols = new long[(int) (n * w)];
    for (int i = 0; i < n; i++) {
      int dy = random.nextInt(2 * pad + 1);
      int dx = random.nextInt(2 * pad + 1);
      for (int j = 0; j < h; j++) {
        rows[(int) (i * h + j)] = reflect ? reflect(dy - pad + j, h) : dy + j;
      }
      for (int j = 0; j < w; j++) {
        cols[(int) (i * w + j)] = reflect ? reflect(dx - pad + j, w) : dx + j;
      }
    }
    long sourceWidth = source.getShape().get(3);
    NDArray rowIndex = manager.create(rows, new Shape(n, 1, h, 1)).broadcast(n, c, h, sourceWidth);
    NDArray colIndex = manager.create(cols, new Shape(n, 1, 1, w)).broadcast(n, c, h, w);
    return source.gather(rowIndex, 2).gather(colIndex, 3);
  }

  private static long reflect(long i, long size) {
    if (i < 0) {
      return -i;
    }
    return i >= size ? 2 * size - 2 - i : i;
  }

  /**
   * Applies cutout to a normalised float batch (setting the square to 0, the mean).
   *
   * @param batch {@code (n, c, h, w)} float, normalised
   * @param random the batch's seeded randomness
   * @param manager owns the mask
   * @return the batch, changed in place
   */
  NDArray cutout(NDArray batch, Random random, NDManager manager) {
    if (!kinds.contains(BatchAugmentation.CUTOUT)) {
      return batch;
    }
    int n = (int) batch.getShape().get(0);
    int h = (int) batch.getShape().get(2);
    int w = (int) batch.getShape().get(3);
    float[] keep = new float[n * h * w];
    java.util.Arrays.fill(keep, 1f);
    for (int i = 0; i < n; i++) {
      int cy = random.nextInt(h);
      int cx = random.nextInt(w);
      for (int y = Math.max(0, cy - CUTOUT / 2); y < Math.min(h, cy + CUTOUT / 2); y++) {
        for (int x = Math.max(0, cx - CUTOUT / 2); x < Math.min(w, cx + CUTOUT / 2); x++) {
          keep[i * h * w + y * w + x] = 0f;
        }
      }
    }
    return batch.muli(manager.create(keep, new Shape(n, 1, h, w)).toType(DataType.FLOAT32, false));
  }
}
