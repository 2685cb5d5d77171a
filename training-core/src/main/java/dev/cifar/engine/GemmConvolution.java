package dev.cifar.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * A 2-d convolution computed as one matrix product per kernel position, from slices of the padded
 * input: the same sums as a convolution kernel, through libtorch's float32 matrix multiplication
 * (BLAS) instead of oneDNN's convolution kernels, and differentiable like any other libtorch
 * operation. It is the reference {@link ConvolutionLayouts} holds those kernels to; it is far too
 * slow to train with.
 */
final class GemmConvolution {

  private GemmConvolution() {}

  /**
   * Convolves.
   *
   * @param input NCHW, contiguous
   * @param weight OIHW
   * @param shape the geometry: stride, padding and dilation
   * @return NCHW output, contiguous
   */
  static NDArray convolve(NDArray input, NDArray weight, ConvolutionShape shape) {
    long n = input.getShape().get(0);
    long c = shape.channels();
    long ho = shape.outputHeight();
    long wo = shape.outputWidth();
    long sh = shape.stride().get(0);
    long sw = shape.stride().get(1);
    NDArray padded =
        input.pad(
            new Shape(
                shape.padding().get(1),
                shape.padding().get(1),
                shape.padding().get(0),
                shape.padding().get(0)),
            0);
    NDArray sum = null;
    for (long i = 0; i < shape.kernel().get(0); i++) {
      for (long j = 0; j < shape.kernel().get(1); j++) {
        long top = i * shape.dilation().get(0);
        long left = j * shape.dilation().get(1);
        NDArray patch =
            padded.get(
                new NDIndex(
                    ":, :, {}:{}:{}, {}:{}:{}",
                    top,
                    top + (ho - 1) * sh + 1,
                    sh,
                    left,
                    left + (wo - 1) * sw + 1,
                    sw));
        NDArray term =
            patch
                .transpose(0, 2, 3, 1)
                .reshape(n * ho * wo, c)
                .matMul(weight.get(new NDIndex(":, :, {}, {}", i, j)).transpose());
        sum = sum == null ? term : sum.add(term);
      }
    }
    return MemoryLayout.NCHW.apply(sum.reshape(n, ho, wo, shape.filters()).transpose(0, 3, 1, 2));
  }
}
