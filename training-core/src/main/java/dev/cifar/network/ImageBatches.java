package dev.cifar.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * A run's images on the device, and the one way a batch of them becomes the network's input.
 *
 * <p>{@link #normalizedOnce} converts every image to normalised float32 up front (4 bytes a pixel:
 * 614 MB for CIFAR-10's 50,000 training images), so that a batch is one gather: what a run without
 * augmentation does, as a careful PyTorch loop does. {@link #normalizedPerBatch} keeps only the
 * uint8 tensor and normalises each gathered batch: for augmentation, which transforms the uint8
 * pixels first, and for a set measured once. Both give the same floats, bit for bit: the same two
 * element-wise operations, whether on one batch or on all images.
 */
public final class ImageBatches {

  private final ImageTensors tensors;
  private final NDArray pixels;
  private final NDArray normalized;

  private ImageBatches(ImageTensors tensors, NDArray pixels, NDArray normalized) {
    this.tensors = tensors;
    this.pixels = pixels;
    this.normalized = normalized;
  }

  /**
   * Normalises all images now, on the pixels' manager and device.
   *
   * @param tensors the network's normalisation
   * @param pixels a {@code (n, 3, 32, 32)} uint8 tensor, see {@link ImageTensors#upload}
   * @return batches gathered from the normalised images
   */
  public static ImageBatches normalizedOnce(ImageTensors tensors, NDArray pixels) {
    return new ImageBatches(tensors, pixels, tensors.normalize(pixels));
  }

  /**
   * Normalises each batch as it is gathered.
   *
   * @param tensors the network's normalisation
   * @param pixels a {@code (n, 3, 32, 32)} uint8 tensor, see {@link ImageTensors#upload}
   * @return batches normalised one by one
   */
  public static ImageBatches normalizedPerBatch(ImageTensors tensors, NDArray pixels) {
    return new ImageBatches(tensors, pixels, null);
  }

  /**
   * The network's input for some images.
   *
   * @param step the manager to own the batch
   * @param index the images' indices, an int64 vector
   * @return a {@code (b, 3, 32, 32)} normalised float32 tensor
   */
  public NDArray inputs(NDManager step, NDArray index) {
    return normalized != null
        ? normalized.get(step, new NDIndex("{}", index))
        : tensors.normalize(pixels(step, index));
  }

  /**
   * The uint8 pixels of some images, for augmentation before {@link ImageTensors#normalize}.
   *
   * @param step the manager to own the batch
   * @param index the images' indices, an int64 vector
   * @return a {@code (b, 3, 32, 32)} uint8 tensor
   */
  public NDArray pixels(NDManager step, NDArray index) {
    return pixels.get(step, new NDIndex("{}", index));
  }
}
