package dev.cifar.testing;

import dev.cifar.artifact.ModelArtifact;
import dev.cifar.export.OnnxExport;
import dev.cifar.training.Training;
import dev.cifar.training.TrainingConfig;
import dev.cifar.training.TrainingResult;
import java.nio.file.Path;

/** Trains small seed models on synthetic data, once per JVM, for tests that need a model. */
public final class TrainedModels {

  private static TrainingResult synthetic;
  private static ModelArtifact syntheticWithOnnx;

  private TrainedModels() {}

  /**
   * Returns a seed network trained on 1,000 synthetic images for 6 epochs (cached).
   *
   * @return the result
   */
  public static synchronized TrainingResult synthetic() {
    if (synthetic == null) {
      synthetic =
          Training.builder()
              .setConfig(
                  TrainingConfig.builder().optEpochs(6).optBatchSize(32).optDevSize(200).build())
              .setTrainingSet(SyntheticCifar.images(1000, 1))
              .optTestSet(SyntheticCifar.images(200, 2))
              .build()
              .run();
    }
    return synthetic;
  }

  /**
   * Returns the synthetic model's artifact with its ONNX model inside, as {@code cifar:train
   * -Dcifar.export=onnx} writes it (cached): it serves on either engine.
   *
   * @return the artifact
   */
  public static synchronized ModelArtifact syntheticWithOnnx() {
    if (syntheticWithOnnx == null) {
      ModelArtifact artifact = synthetic().toArtifact();
      syntheticWithOnnx = artifact.withOnnx(OnnxExport.export(artifact));
    }
    return syntheticWithOnnx;
  }

  /**
   * Writes the synthetic model as an artifact, with its ONNX model inside.
   *
   * @param file the zip to write
   * @return the file
   */
  public static Path writeSynthetic(Path file) {
    syntheticWithOnnx().write(file);
    return file;
  }

  /**
   * Loads parameters of the seed network into arrays.
   *
   * @param djlParameters parameters in DJL's format
   * @param classes the network's classes
   * @param manager owns the arrays
   * @return the arrays in the block's parameter order
   * @throws Exception when they do not fit
   */
  public static ai.djl.ndarray.NDList seedParameters(
      byte[] djlParameters, int classes, ai.djl.ndarray.NDManager manager) throws Exception {
    ai.djl.nn.Block block = dev.cifar.network.Networks.named("seed").build(classes);
    block.loadParameters(
        manager, new java.io.DataInputStream(new java.io.ByteArrayInputStream(djlParameters)));
    ai.djl.ndarray.NDList out = new ai.djl.ndarray.NDList();
    block.getParameters().forEach(p -> out.add(p.getValue().getArray()));
    return out;
  }
}
