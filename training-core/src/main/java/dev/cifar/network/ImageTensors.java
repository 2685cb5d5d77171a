package dev.cifar.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.cifar.data.LabeledImages;
import java.nio.ByteBuffer;

/**
 * Moves images to the device as uint8 and turns a uint8 batch into the network's float input there:
 * one type conversion and one fused multiply-add per batch, {@code x * (1 / (255 std)) - mean /
 * std}.
 */
public final class ImageTensors implements AutoCloseable {

  private final NDArray scale;
  private final NDArray shift;

  /**
   * Prepares the normalisation constants on a manager's device.
   *
   * @param manager owns the constants until {@link #close()}
   * @param normalization the network's normalisation
   */
  public ImageTensors(NDManager manager, Normalization normalization) {
    float[] s = new float[3];
    float[] b = new float[3];
    for (int c = 0; c < 3; c++) {
      s[c] = 1f / (255f * normalization.std()[c]);
      b[c] = -normalization.mean()[c] / normalization.std()[c];
    }
    this.scale = manager.create(s, new Shape(1, 3, 1, 1));
    this.shift = manager.create(b, new Shape(1, 3, 1, 1));
  }

  /**
   * Copies images to the device as one uint8 tensor.
   *
   * @param manager the manager (and device) to own the tensor
   * @param pixels images in CIFAR order, {@code n * 3072} bytes
   * @param n the number of images
   * @return a {@code (n, 3, 32, 32)} uint8 tensor
   */
  public static NDArray upload(NDManager manager, byte[] pixels, int n) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(pixels.length);
    buffer.put(pixels).flip();
    return manager.create(
        buffer,
        new Shape(n, LabeledImages.CHANNELS, LabeledImages.SIDE, LabeledImages.SIDE),
        DataType.UINT8);
  }

  /**
   * Converts a uint8 batch to normalised float32 on the batch's device and manager.
   *
   * @param batch a {@code (n, 3, 32, 32)} uint8 tensor
   * @return the float tensor
   */
  public NDArray normalize(NDArray batch) {
    return batch.toType(DataType.FLOAT32, false).muli(scale).addi(shift);
  }

  @Override
  public void close() {
    scale.close();
    shift.close();
  }
}
