package dev.cifar.network;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.cifar.data.LabeledImages;
import java.nio.ByteBuffer;

/**
 * Moves images to the device as uint8 and turns a uint8 batch into the network's float input
 * there: one type conversion and one fused multiply-add per batch,
 * {@code x * (1 / (255 std)) - mean / std}.
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
        return manager.create(buffer, new Shape(n, LabeledImages.CHANNELS, LabeledImages.SIDE, LabeledImages.SIDE),
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

    /**
     * Returns the same batch stored channels-last: one copy into NHWC order, viewed again with
     * the NCHW shape. libtorch keeps that layout through convolution, batch norm, pooling and
     * their gradients, which saves its CPU convolutions a reorder of every activation.
     *
     * @param batch {@code (n, c, h, w)}
     * @return equal values and shape, channels-last strides
     */
    public static NDArray toChannelsLast(NDArray batch) {
        Shape shape = batch.getShape();
        long n = shape.get(0);
        // the flattening reshape cannot be a view of the permuted batch, so it copies in NHWC order
        return batch.transpose(0, 2, 3, 1).reshape(n, -1).reshape(n, shape.get(2), shape.get(3), shape.get(1))
                .transpose(0, 3, 1, 2);
    }

    @Override
    public void close() {
        scale.close();
        shift.close();
    }
}
