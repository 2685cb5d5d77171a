package dev.cifar.engine;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * Convolutions computed in bfloat16 on the CPU, all three of them: forward, input gradient and
 * weight gradient. This runs a TorchScript function ({@code bfloat16-convolution.pt}, written by
 * {@code src/main/python/make_bfloat16_convolution.py}) that rounds input and weight to bfloat16,
 * convolves with stride 1 and "same" padding, and returns float32; autograd runs its backward in
 * bfloat16 and returns float32 gradients, so the weights, batch norms and the optimizer stay
 * float32 (as mixed precision does on GPUs). DJL 0.36 cannot cast to bfloat16 itself (its PyTorch
 * JNI aborts), which is why the cast lives in the TorchScript function. Whether a CPU computes it
 * correctly and faster is measured before a run uses it ({@link ConvolutionMath}, {@link
 * PrecisionCheck}). Open one per training run and close it after.
 */
public final class Bfloat16Convolution implements AutoCloseable {

  /** The TorchScript file, a resource next to this class. */
  static final String RESOURCE = "bfloat16-convolution.pt";

  private final Model model;
  private final Block function;

  private Bfloat16Convolution(Model model) {
    this.model = model;
    this.function = model.getBlock();
  }

  /**
   * Loads the TorchScript function onto the CPU.
   *
   * @return the convolution; close it when the run ends
   * @throws IllegalStateException when the resource is missing or does not load
   */
  public static Bfloat16Convolution load() {
    return new Bfloat16Convolution(
        Engines.torchScriptResource(
            Bfloat16Convolution.class, RESOURCE, "bfloat16 convolution", Device.cpu()));
  }

  /**
   * Convolves with stride 1 and "same" padding, in bfloat16, differentiably.
   *
   * @param store the parameter store of the calling block
   * @param input float32 batch, NCHW (any memory layout), on the CPU
   * @param weight float32 weight, out x in x kh x kw, odd kernel sides
   * @param training whether gradients are recorded
   * @return the float32 result, NCHW
   */
  public NDArray convolve(ParameterStore store, NDArray input, NDArray weight, boolean training) {
    return function.forward(store, new NDList(input, weight), training).singletonOrThrow();
  }

  @Override
  public void close() {
    model.close();
  }
}
