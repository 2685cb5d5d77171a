package dev.cifar.network;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.cifar.data.LabeledImages;
import dev.cifar.engine.MemoryLayout;
import dev.cifar.onnx.OnnxExportException;
import dev.cifar.onnx.OnnxGraph;

/**
 * A network definition known by name. Its {@link #version()} changes whenever the architecture
 * changes, so that an artifact trained on another definition is refused.
 */
public interface Network {

  /**
   * Returns the name users select it by.
   *
   * @return e.g. {@code seed}
   */
  String name();

  /**
   * Returns the definition's version.
   *
   * @return a number raised with every architectural change
   */
  int version();

  /**
   * Returns how input pixels are scaled before the first layer.
   *
   * @return the normalisation
   */
  Normalization normalization();

  /**
   * Returns how the network is trained by default: the value of every training option the user
   * leaves unset.
   *
   * @return the recipe
   */
  Recipe recipe();

  /**
   * Builds a fresh, uninitialised block.
   *
   * @param classes the number of output classes
   * @return the block, mapping {@code (N, 3, 32, 32)} float input to {@code (N, classes)} logits
   */
  Block build(int classes);

  /**
   * Describes the network for a log line.
   *
   * @return one line
   */
  String description();

  /**
   * Sets what a fresh network learns from the data before the first step (e.g. whitening filters);
   * called once after DJL's initialisation, never on resume or a pretrained start.
   *
   * @param block the initialised block from {@link #build}
   * @param images the training images
   * @param indices the training split's indices into them
   */
  default void initialize(Block block, LabeledImages images, int[] indices) {}

  /**
   * Adjusts the block before an epoch, e.g. freezes a parameter that only learns in the first
   * epochs; called before every epoch, also the first after a resume, so it must depend on the
   * epoch alone.
   *
   * @param block the block from {@link #build}
   * @param epoch the epoch about to run, from 1
   */
  default void beforeEpoch(Block block, int epoch) {}

  /**
   * Returns how much faster than the scheduled rate a parameter learns.
   *
   * @param parameter one of the block's parameters
   * @return the multiplier of its learning rate (its weight decay is divided by it)
   */
  default float learningRateScale(Parameter parameter) {
    return 1f;
  }

  /**
   * Tells the memory layout batches should reach the network in: channels-last (NHWC storage behind
   * the NCHW shape) is what libtorch's CPU convolutions run faster on for wide layers; the values
   * and shapes are the same either way. Where this process measured the layout's convolutions
   * wrong, the other one is used ({@link dev.cifar.engine.ConvolutionLayouts}).
   *
   * @return NCHW unless the network is faster channels-last
   */
  default MemoryLayout layout() {
    return MemoryLayout.NCHW;
  }

  /**
   * Writes the forward pass into an ONNX graph from the trained parameters, as {@link #build}'s
   * block computes it.
   *
   * @param block the block from {@link #build}, with its parameters loaded
   * @param graph the graph to add to
   * @param input the graph's value of the normalised images, float {@code [N, 3, 32, 32]}
   * @return the graph's value of the logits, {@code [N, classes]}
   * @throws OnnxExportException when the network has no ONNX form
   */
  default String toOnnx(Block block, OnnxGraph graph, String input) {
    throw new OnnxExportException(
        "network '" + name() + "' cannot be exported to ONNX: it has no ONNX definition");
  }
}
