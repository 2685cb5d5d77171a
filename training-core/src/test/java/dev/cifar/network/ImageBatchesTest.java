package dev.cifar.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.cifar.data.LabeledImages;
import dev.cifar.engine.Engines;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImageBatchesTest {

  private static final int IMAGES = 40;

  @Test
  void normalisingOnceGivesTheFloatsOfNormalisingEachBatchBitForBit() {
    Engines.pytorch();
    byte[] pixels = new byte[IMAGES * LabeledImages.IMAGE_BYTES];
    new Random(11).nextBytes(pixels);
    Normalization normalization =
        new Normalization(new float[] {0.49f, 0.48f, 0.45f}, new float[] {0.25f, 0.24f, 0.26f});
    long[] order = {17, 3, 3, 39, 0, 22, 8};
    try (NDManager manager = NDManager.newBaseManager();
        ImageTensors tensors = new ImageTensors(manager, normalization)) {
      NDArray uint8 = ImageTensors.upload(manager, pixels, IMAGES);
      ImageBatches once = ImageBatches.normalizedOnce(tensors, uint8);
      ImageBatches perBatch = ImageBatches.normalizedPerBatch(tensors, uint8);
      try (NDManager step = manager.newSubManager()) {
        NDArray index = step.create(order);
        NDArray a = once.inputs(step, index);
        NDArray b = perBatch.inputs(step, index);
        assertThat(a.getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(a.getShape().getShape()).containsExactly(order.length, 3, 32, 32);
        assertThat(a.getManager()).isSameAs(step);
        assertThat(a.toFloatArray()).containsExactly(b.toFloatArray());
        // and both are (pixel / 255 - mean) / std of the requested images, channel by channel
        float[] values = a.toFloatArray();
        for (int i = 0; i < order.length; i++) {
          for (int p = 0; p < LabeledImages.IMAGE_BYTES; p++) {
            int c = p / (32 * 32);
            float expected =
                ((pixels[(int) order[i] * LabeledImages.IMAGE_BYTES + p] & 0xFF) / 255f
                        - normalization.mean()[c])
                    / normalization.std()[c];
            assertThat(values[i * LabeledImages.IMAGE_BYTES + p])
                .isCloseTo(expected, within(1e-5f));
          }
        }
        NDArray raw = once.pixels(step, index);
        assertThat(raw.getDataType()).isEqualTo(DataType.UINT8);
        assertThat(raw.toByteArray()).containsExactly(gathered(pixels, order));
      }
    }
  }

  private static byte[] gathered(byte[] pixels, long[] order) {
    byte[] out = new byte[order.length * LabeledImages.IMAGE_BYTES];
    for (int i = 0; i < order.length; i++) {
      System.arraycopy(
          pixels,
          (int) order[i] * LabeledImages.IMAGE_BYTES,
          out,
          i * LabeledImages.IMAGE_BYTES,
          LabeledImages.IMAGE_BYTES);
    }
    return out;
  }
}
