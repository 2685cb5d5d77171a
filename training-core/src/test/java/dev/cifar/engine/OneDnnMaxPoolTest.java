package dev.cifar.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/**
 * oneDNN's max pooling through the TorchScript function: the same maxima and the same gradients as
 * ATen's pooling, bit for bit, in both memory layouts and with windows that do not tile the image.
 * oneDNN's pooling exists for every x86-64 ISA, so these run on every CPU.
 */
class OneDnnMaxPoolTest {

  @Test
  void poolsAndDifferentiatesExactlyAsAtenInBothLayouts() {
    try (OneDnnMaxPool pool = OneDnnMaxPool.load();
        NDManager manager = NDManager.newBaseManager(Engines.pytorch().getEngineName())) {
      NDArray batch = manager.randomNormal(new Shape(8, 6, 28, 28));
      for (MemoryLayout layout : MemoryLayout.values()) {
        for (int kernel : new int[] {2, 3}) {
          float[][] ours = OneDnnMaxPool.poolAndGradient(pool, layout.apply(batch), kernel);
          float[][] aten = OneDnnMaxPool.poolAndGradient(null, layout.apply(batch), kernel);
          assertThat(ours[0]).as("%s, kernel %d: maxima", layout, kernel).isEqualTo(aten[0]);
          assertThat(ours[1]).as("%s, kernel %d: gradient", layout, kernel).isEqualTo(aten[1]);
          // 28 / 3 leaves a remainder: the window does not reach past the image
          assertThat(ours[0]).hasSize(8 * 6 * (28 / kernel) * (28 / kernel));
        }
      }
    }
  }

  @Test
  void takesOneDnnsPathForNchwBatchesAndAtensForChannelsLast() {
    try (OneDnnMaxPool pool = OneDnnMaxPool.load();
        NDManager manager = NDManager.newBaseManager(Engines.pytorch().getEngineName())) {
      NDArray batch = manager.randomNormal(new Shape(2, 6, 8, 8));
      assertThat(lastStep(pool, MemoryLayout.NCHW.apply(batch))).contains("ToDense");
      assertThat(lastStep(pool, MemoryLayout.CHANNELS_LAST.apply(batch)))
          .contains("MaxPool2DWithIndices");
    }
  }

  @Test
  void sendsATiedWindowsGradientToItsFirstMaximumOnly() {
    try (OneDnnMaxPool pool = OneDnnMaxPool.load();
        NDManager manager = NDManager.newBaseManager(Engines.pytorch().getEngineName())) {
      NDArray x = manager.ones(new Shape(1, 1, 2, 4));
      float[][] ours = OneDnnMaxPool.poolAndGradient(pool, x, 2);
      assertThat(ours[0]).containsExactly(1f, 1f);
      // the weight of output i is i + 1 (see poolAndGradient)
      assertThat(ours[1]).containsExactly(1f, 0f, 2f, 0f, 0f, 0f, 0f, 0f);
    }
  }

  /** The autograd function that produced the pooled batch: which kernel ran. */
  private static String lastStep(OneDnnMaxPool pool, NDArray batch) {
    NDArray x = batch.duplicate();
    x.setRequiresGradient(true);
    try (GradientCollector collector = x.getManager().getEngine().newGradientCollector()) {
      return JniUtils.getGradientFunctionNames((PtNDArray) pool.pool(x, 2));
    }
  }
}
