package dev.cifar.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import com.google.gson.annotations.SerializedName;
import dev.cifar.ConfigurationException;
import java.util.Locale;

/**
 * Test-time augmentation: which views of an image a trained network looks at before its logits are
 * averaged, in evaluation and, recorded in the artifact, in serving. All views of a batch go
 * through the network as one batch.
 */
public enum TestTimeAugmentation {

  /** The image alone. */
  @SerializedName("none")
  NONE("none", 1),
  /** The image and its mirror image, averaged. */
  @SerializedName("flip")
  FLIP("flip", 2),
  /**
   * airbench94's level 2: half the mirror average of the image, and a quarter each of the mirror
   * averages of the image moved one pixel up-left and one pixel down-right (edges reflected).
   */
  @SerializedName("flip,translate")
  FLIP_TRANSLATE("flip,translate", 6);

  private final String label;
  private final int views;

  TestTimeAugmentation(String label, int views) {
    this.label = label;
    this.views = views;
  }

  /**
   * Parses the option's value.
   *
   * @param text {@code none}, {@code flip} or {@code flip,translate}
   * @return the level
   * @throws ConfigurationException for anything else
   */
  public static TestTimeAugmentation parse(String text) {
    String value = text == null ? "" : text.replace(" ", "").toLowerCase(Locale.ROOT);
    for (TestTimeAugmentation level : values()) {
      if (level.label.equals(value) || level == FLIP_TRANSLATE && value.equals("translate,flip")) {
        return level;
      }
    }
    throw new ConfigurationException(
        "Unknown test-time augmentation '"
            + text
            + "': use none, flip or flip,translate (cifar.tta)");
  }

  /**
   * @return the option's value, as {@link #parse} reads it and {@code model.json} records it (the
   *     constants' serialized names)
   */
  public String label() {
    return label;
  }

  /**
   * @return how many forward passes each image costs
   */
  public int views() {
    return views;
  }

  /**
   * Wraps a trained network so that it answers with the averaged logits.
   *
   * @param net the network, with its parameters loaded
   * @return the network itself for {@link #NONE}, else a {@link TestTimeAveraging} block
   */
  public Block wrap(Block net) {
    return this == NONE ? net : new TestTimeAveraging(net, this);
  }

  /**
   * Stacks the views of a batch into one batch.
   *
   * @param batch {@code (n, c, h, w)}
   * @return {@code (views * n, c, h, w)}, view by view
   */
  public NDArray expand(NDArray batch) {
    return switch (this) {
      case NONE -> batch;
      case FLIP -> withMirrors(batch);
      case FLIP_TRANSLATE ->
          NDArrays.concat(
              new NDList(
                  withMirrors(batch), withMirrors(shift(batch, -1)), withMirrors(shift(batch, 1))),
              0);
    };
  }

  /**
   * Returns the weight of each view's logits in the average: the original and its mirror count as
   * much as the four shifted views together.
   *
   * @return one weight per view, in {@link #expand}'s order, summing to 1
   */
  public float[] weights() {
    return switch (this) {
      case NONE -> new float[] {1f};
      case FLIP -> new float[] {0.5f, 0.5f};
      case FLIP_TRANSLATE -> new float[] {0.25f, 0.25f, 0.125f, 0.125f, 0.125f, 0.125f};
    };
  }

  /**
   * Averages the logits of the views that {@link #expand} stacked, with {@link #weights}.
   *
   * @param logits {@code (views * n, classes)}
   * @return {@code (n, classes)}
   */
  public NDArray combine(NDArray logits) {
    if (this == NONE) {
      return logits;
    }
    long n = logits.getShape().get(0) / views;
    float[] weights = weights();
    NDArray sum = view(logits, 0, n).mul(weights[0]);
    for (int v = 1; v < views; v++) {
      sum.addi(view(logits, v, n).mul(weights[v]));
    }
    return sum;
  }

  private static NDArray view(NDArray logits, int view, long n) {
    return logits.get(new NDIndex("{}:{}", view * n, (view + 1) * n));
  }

  private static NDArray withMirrors(NDArray batch) {
    return NDArrays.concat(new NDList(batch, batch.flip(3)), 0);
  }

  /**
   * Moves the content of a batch by one pixel along both axes, reflecting at the edges.
   *
   * @param batch {@code (n, c, h, w)}
   * @param direction 1 moves it down-right, -1 up-left
   * @return the moved batch
   */
  static NDArray shift(NDArray batch, int direction) {
    NDArray rows = shiftAxis(batch, 2, direction);
    return shiftAxis(rows, 3, direction);
  }

  private static NDArray shiftAxis(NDArray x, int axis, int direction) {
    long size = x.getShape().get(axis);
    String prefix = axis == 2 ? ":, :, " : ":, :, :, ";
    NDArray head;
    NDArray tail;
    if (direction > 0) {
      head = x.get(new NDIndex(prefix + "1:2"));
      tail = x.get(new NDIndex(prefix + "0:{}", size - 1));
    } else {
      head = x.get(new NDIndex(prefix + "1:{}", size));
      tail = x.get(new NDIndex(prefix + "{}:{}", size - 2, size - 1));
    }
    return NDArrays.concat(new NDList(head, tail), axis);
  }
}
