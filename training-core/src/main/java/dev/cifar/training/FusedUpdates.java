package dev.cifar.training;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import dev.cifar.engine.Engines;
import java.util.ArrayList;
import java.util.List;

/**
 * The optimizers' updates as libtorch's fused kernels ({@code _fused_adam_}, {@code _fused_sgd_}),
 * the ones behind PyTorch's {@code Adam(fused=True)} and {@code SGD(fused=True)}: one call updates
 * a group of parameters, one pass over each, where a per-parameter update costs a JNI call and
 * about ten element-wise operations with their temporaries per parameter (for the seed network, 1.2
 * against 0.45 ms of a 11 ms step). DJL exposes neither kernel, so a TorchScript module ({@code
 * fused-optimizers.pt}, written by {@code src/main/python/make_fused_optimizers.py}) calls them; it
 * reads each weight's gradient and zeroes it afterwards. Open one per training run and close it
 * after.
 */
final class FusedUpdates implements AutoCloseable {

  /** The TorchScript file, a resource next to this class. */
  static final String RESOURCE = "fused-optimizers.pt";

  private final Model model;
  private final PtSymbolBlock module;

  private FusedUpdates(Model model) {
    this.model = model;
    this.module = (PtSymbolBlock) model.getBlock();
  }

  /**
   * Loads the module.
   *
   * @param device where the weights live
   * @return the updates; close them when the run ends
   * @throws IllegalStateException when the resource is missing or does not load
   */
  static FusedUpdates load(Device device) {
    return new FusedUpdates(
        Engines.torchScriptResource(FusedUpdates.class, RESOURCE, "fused optimizers", device));
  }

  /**
   * Adam with L2 weight decay, PyTorch's formula, on a group of weights.
   *
   * @param weights the weights, each with its gradient
   * @param means their first moments, updated in place
   * @param variances their second moments, updated in place
   * @param step the group's step, from 1, this one included
   * @param learningRate the rate of this step
   * @param beta1 the first moment's decay
   * @param beta2 the second moment's decay
   * @param epsilon the denominator's term
   * @param weightDecay the L2 factor
   */
  void adam(
      List<NDArray> weights,
      List<NDArray> means,
      List<NDArray> variances,
      int step,
      float learningRate,
      float beta1,
      float beta2,
      float epsilon,
      float weightDecay) {
    run(
        "adam",
        List.of(list(weights), list(means), list(variances)),
        step,
        learningRate,
        beta1,
        beta2,
        epsilon,
        weightDecay);
  }

  /**
   * SGD with Nesterov momentum and L2 weight decay, PyTorch's {@code SGD(nesterov=True)}, on a
   * group of weights.
   *
   * @param weights the weights, each with its gradient
   * @param buffers their momentum buffers, zero before the first step, updated in place
   * @param learningRate the rate of this step
   * @param momentum the momentum
   * @param weightDecay the L2 factor
   */
  void nesterovSgd(
      List<NDArray> weights,
      List<NDArray> buffers,
      float learningRate,
      float momentum,
      float weightDecay) {
    run("nesterov_sgd", List.of(list(weights), list(buffers)), learningRate, momentum, weightDecay);
  }

  private void run(String method, List<IValue> lists, double... scalars) {
    List<IValue> arguments = new ArrayList<>(lists);
    try {
      for (double scalar : scalars) {
        arguments.add(IValue.from(scalar));
      }
      IValueUtils.runMethod(module, method, arguments.toArray(new IValue[0])).close();
    } finally {
      arguments.forEach(IValue::close);
    }
  }

  private static IValue list(List<NDArray> arrays) {
    PtNDArray[] tensors = new PtNDArray[arrays.size()];
    for (int i = 0; i < tensors.length; i++) {
      tensors[i] = (PtNDArray) arrays.get(i);
    }
    return IValue.listFrom(tensors);
  }

  @Override
  public void close() {
    model.close();
  }
}
