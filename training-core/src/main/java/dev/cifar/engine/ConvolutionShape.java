package dev.cifar.engine;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.util.Pair;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The geometry of one 2-d convolution of a network, as oneDNN sees it: channels, input size,
 * kernel, stride, padding and dilation (one group).
 *
 * @param channels input channels
 * @param filters output channels
 * @param height input height
 * @param width input width
 * @param kernel kernel height and width
 * @param stride stride along height and width
 * @param padding zero padding along height and width
 * @param dilation dilation along height and width
 * @param inputGradient whether training asks for the gradient of its input: not for a network's
 *     first convolution, which reads the images
 */
public record ConvolutionShape(
    long channels,
    long filters,
    long height,
    long width,
    Shape kernel,
    Shape stride,
    Shape padding,
    Shape dilation,
    boolean inputGradient) {

  /**
   * The shapes checked where a network shows none (a TorchScript module): "same" 3x3 convolutions
   * whose channels leave a tail of oneDNN's 8- and 16-channel blocks, and a strided 1x1 one.
   */
  static final List<ConvolutionShape> GENERIC =
      List.of(
          same(16, 24, 9, 3),
          same(24, 40, 7, 3),
          same(12, 20, 7, 3),
          same(64, 32, 6, 3),
          new ConvolutionShape(
              256,
              512,
              4,
              4,
              new Shape(1, 1),
              new Shape(2, 2),
              new Shape(0, 0),
              new Shape(1, 1),
              true));

  private static ConvolutionShape same(long channels, long filters, long side, long kernel) {
    return new ConvolutionShape(
        channels,
        filters,
        side,
        side,
        new Shape(kernel, kernel),
        new Shape(1, 1),
        new Shape(kernel / 2, kernel / 2),
        new Shape(1, 1),
        true);
  }

  /**
   * Finds the convolutions of an initialised block, each distinct geometry once, in order.
   *
   * @param block a network, initialised or with its parameters loaded
   * @return the geometries of its single-group 2-d convolutions whose input shape it knows; the
   *     first one found is taken to read the images
   */
  public static List<ConvolutionShape> of(Block block) {
    Set<ConvolutionShape> out = new LinkedHashSet<>();
    collect(block, out);
    return List.copyOf(out);
  }

  private static void collect(Block block, Set<ConvolutionShape> out) {
    if (block instanceof Convolution conv
        && conv.getGroups() == 1
        && conv.getKernelShape().dimension() == 2) {
      Shape[] inputs = conv.getInputShapes();
      Parameter weight = conv.getParameters().get("weight");
      if (inputs != null
          && inputs.length > 0
          && inputs[0].dimension() == 4
          && weight != null
          && weight.isInitialized()) {
        Shape w = weight.getArray().getShape();
        out.add(
            new ConvolutionShape(
                w.get(1),
                w.get(0),
                inputs[0].get(2),
                inputs[0].get(3),
                conv.getKernelShape(),
                conv.getStride(),
                conv.getPadding(),
                conv.getDilation(),
                !out.isEmpty()));
      }
    }
    for (Pair<String, Block> child : block.getChildren()) {
      collect(child.getValue(), out);
    }
  }

  /**
   * @return the output height
   */
  long outputHeight() {
    return (height + 2 * padding.get(0) - dilation.get(0) * (kernel.get(0) - 1) - 1) / stride.get(0)
        + 1;
  }

  /**
   * @return the output width
   */
  long outputWidth() {
    return (width + 2 * padding.get(1) - dilation.get(1) * (kernel.get(1) - 1) - 1) / stride.get(1)
        + 1;
  }

  @Override
  public String toString() {
    String strided = stride.get(0) == 1 && stride.get(1) == 1 ? "" : " stride " + stride.get(0);
    return String.format(
        Locale.ROOT,
        "%d->%d %dx%d%s at %dx%d",
        channels,
        filters,
        kernel.get(0),
        kernel.get(1),
        strided,
        height,
        width);
  }
}
