package dev.cifar.classifier;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import dev.cifar.CifarException;

/** A lane on DJL's PyTorch engine: one {@link Predictor}, which is not thread-safe. */
final class PyTorchForwardPass implements ForwardPass {

  private final Predictor<byte[][], float[][]> predictor;

  PyTorchForwardPass(Predictor<byte[][], float[][]> predictor) {
    this.predictor = predictor;
  }

  @Override
  public float[][] probabilities(byte[][] images) {
    try {
      return predictor.predict(images);
    } catch (TranslateException e) {
      throw new CifarException("Forward pass failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    predictor.close();
  }
}
