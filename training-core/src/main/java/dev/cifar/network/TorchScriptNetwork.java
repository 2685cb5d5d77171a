package dev.cifar.network;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.cifar.data.LabeledImages;
import dev.cifar.onnx.OnnxExportException;
import dev.cifar.onnx.OnnxGraph;

/**
 * A network around a TorchScript module: batches are resized on the device to the module's input
 * size (bilinear), the module's output (logits or features, flattened) feeds a new linear head with
 * one output per class, and module and head are fine-tuned together. Its normalisation is the one
 * the module was trained with, declared by the user.
 */
public final class TorchScriptNetwork implements Network {

  /** The name recorded in artifacts. */
  public static final String NAME = "torchscript";

  /** Fine-tuning trains as the notebook does unless told otherwise. */
  public static final Recipe RECIPE = Recipe.NOTEBOOK;

  private static final int BILINEAR = 2;

  private final int inputSize;
  private final Normalization normalization;
  private final Block module;

  private TorchScriptNetwork(int inputSize, Normalization normalization, Block module) {
    this.inputSize = inputSize;
    this.normalization = normalization;
    this.module = module;
  }

  /**
   * Describes a TorchScript network without its module (enough for names and fingerprints).
   *
   * @param inputSize the module's input side
   * @param normalization the module's input normalisation
   * @return the description; {@link #build} needs {@link #withModule}
   */
  public static TorchScriptNetwork of(int inputSize, Normalization normalization) {
    return new TorchScriptNetwork(inputSize, normalization, null);
  }

  /**
   * Binds the module block: one loaded from a {@code .pt} file to fine-tune, or an empty {@code
   * PtSymbolBlock} that an artifact's parameters fill.
   *
   * @param block the module
   * @return a network that can be built
   */
  public TorchScriptNetwork withModule(Block block) {
    return new TorchScriptNetwork(inputSize, normalization, block);
  }

  @Override
  public Recipe recipe() {
    return RECIPE;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public Normalization normalization() {
    return normalization;
  }

  /**
   * @return the side of the images the module takes
   */
  public int inputSize() {
    return inputSize;
  }

  @Override
  public String description() {
    return "torchscript: a TorchScript module on "
        + inputSize
        + "x"
        + inputSize
        + " input, with a new linear head";
  }

  @Override
  public Block build(int classes) {
    if (module == null) {
      throw new IllegalStateException(
          "a TorchScript network is built around its module (withModule)");
    }
    SequentialBlock net = new SequentialBlock();
    if (inputSize != LabeledImages.SIDE) {
      int side = inputSize;
      net.add(LambdaBlock.singleton(x -> resize(x, side), "resize"));
    }
    return net.add(module)
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(classes).build());
  }

  private static NDArray resize(NDArray batch, int side) {
    return JniUtils.interpolate((PtNDArray) batch, new long[] {side, side}, BILINEAR, false);
  }

  @Override
  public String toOnnx(Block block, OnnxGraph graph, String input) {
    throw new OnnxExportException(
        "a model started from TorchScript cannot be exported to ONNX: its forward pass is a"
            + " TorchScript module whose operations DJL does not expose; export the module from"
            + " PyTorch with torch.onnx.export instead");
  }
}
