package dev.cifar.classifier;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.cifar.CifarException;
import dev.cifar.artifact.ArtifactException;
import dev.cifar.data.LabeledImages;
import dev.cifar.onnx.OnnxMetadata;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * The artifact's ONNX model in one ONNX Runtime session, which runs batches from several threads at
 * once; each lane of the classifier is a {@link ForwardPass} over it. Only this class touches ONNX
 * Runtime, so a classifier on PyTorch never loads it.
 */
final class OnnxRuntimeSession implements AutoCloseable {

  private final OrtEnvironment environment;
  private final OrtSession session;

  /**
   * Opens a session.
   *
   * @param onnx the model's bytes
   * @param threads the threads one batch may use
   * @throws ArtifactException when ONNX Runtime refuses the model
   */
  OnnxRuntimeSession(byte[] onnx, int threads) {
    environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      session = environment.createSession(onnx, options);
    } catch (OrtException e) {
      throw new ArtifactException(
          "ONNX Runtime cannot load the artifact's model.onnx: " + e.getMessage());
    }
  }

  /**
   * @return a lane over this session
   */
  ForwardPass lane() {
    return new ForwardPass() {
      @Override
      public float[][] probabilities(byte[][] images) {
        return run(images);
      }

      @Override
      public void close() {
        // the session is shared; the classifier closes it
      }
    };
  }

  private float[][] run(byte[][] images) {
    ByteBuffer pixels = ByteBuffer.allocateDirect(images.length * LabeledImages.IMAGE_BYTES);
    for (byte[] image : images) {
      pixels.put(image);
    }
    pixels.flip();
    long[] shape = {images.length, LabeledImages.CHANNELS, LabeledImages.SIDE, LabeledImages.SIDE};
    try (OnnxTensor input =
            OnnxTensor.createTensor(environment, pixels, shape, OnnxJavaType.UINT8);
        OrtSession.Result result = session.run(Map.of(OnnxMetadata.INPUT, input))) {
      return (float[][]) result.get(OnnxMetadata.OUTPUT).orElseThrow().getValue();
    } catch (OrtException e) {
      throw new CifarException("Forward pass failed in ONNX Runtime: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new CifarException("ONNX Runtime could not close its session: " + e.getMessage(), e);
    }
  }
}
