package dev.cifar.classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.cifar.data.LabeledImages;
import dev.cifar.engine.MemoryLayout;
import dev.cifar.network.ImageTensors;

/**
 * Turns a batch of CIFAR-order images into one normalised tensor on the predictor's device, in the
 * memory layout chosen for the network's convolutions, and the network's logits into per-class
 * softmax probabilities.
 */
final class ProbabilityTranslator implements NoBatchifyTranslator<byte[][], float[][]> {

  private final ImageTensors tensors;
  private final MemoryLayout layout;

  ProbabilityTranslator(ImageTensors tensors, MemoryLayout layout) {
    this.tensors = tensors;
    this.layout = layout;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, byte[][] images) {
    byte[] pixels = new byte[images.length * LabeledImages.IMAGE_BYTES];
    for (int i = 0; i < images.length; i++) {
      System.arraycopy(
          images[i], 0, pixels, i * LabeledImages.IMAGE_BYTES, LabeledImages.IMAGE_BYTES);
    }
    return new NDList(
        layout.apply(
            tensors.normalize(ImageTensors.upload(ctx.getNDManager(), pixels, images.length))));
  }

  @Override
  public float[][] processOutput(TranslatorContext ctx, NDList list) {
    NDArray probabilities = list.singletonOrThrow().softmax(1);
    int n = (int) probabilities.getShape().get(0);
    int k = (int) probabilities.getShape().get(1);
    float[] flat = probabilities.toFloatArray();
    float[][] out = new float[n][k];
    for (int i = 0; i < n; i++) {
      System.arraycopy(flat, i * k, out[i], 0, k);
    }
    return out;
  }
}
