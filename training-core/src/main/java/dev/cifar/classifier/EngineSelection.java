package dev.cifar.classifier;

import dev.cifar.ConfigurationException;
import dev.cifar.artifact.ArtifactException;
import dev.cifar.engine.DeviceChoice;
import java.util.function.Consumer;

/**
 * Turns the {@link ServingEngine} asked for into the one a classifier runs on, with what this
 * process has: the device, the artifact's ONNX model, ONNX Runtime and PyTorch on the class path, a
 * visible GPU. Refuses what cannot run, naming the option to change.
 */
final class EngineSelection {

  /** What the process has, asked only when needed (a GPU probe costs a few milliseconds). */
  interface Facts {
    boolean artifactHasOnnx();

    boolean onnxRuntimePresent();

    boolean pytorchPresent();

    boolean gpuVisible();
  }

  private EngineSelection() {}

  /**
   * Chooses the engine.
   *
   * @param wanted the option's value
   * @param device the device option's value
   * @param facts what this process has
   * @param notice told, in one line, why {@code auto} chose PyTorch on a CPU
   * @return {@link ServingEngine#PYTORCH} or {@link ServingEngine#ONNXRUNTIME}
   * @throws ConfigurationException when the engine cannot run here
   * @throws ArtifactException when ONNX Runtime is wanted and the artifact has no ONNX model
   */
  static ServingEngine resolve(
      ServingEngine wanted, DeviceChoice device, Facts facts, Consumer<String> notice) {
    ServingEngine engine =
        switch (wanted) {
          case PYTORCH -> ServingEngine.PYTORCH;
          case ONNXRUNTIME -> onnxRuntime(device, facts);
          case AUTO -> auto(device, facts, notice);
        };
    if (engine == ServingEngine.PYTORCH && !facts.pytorchPresent()) {
      throw new ConfigurationException(
          "cifar.engine="
              + wanted.label()
              + " with cifar.device="
              + device.name().toLowerCase(java.util.Locale.ROOT)
              + " needs PyTorch, and this build has no PyTorch engine (the light build serves with"
              + " ONNX Runtime only, on the CPU)");
    }
    return engine;
  }

  private static ServingEngine onnxRuntime(DeviceChoice device, Facts facts) {
    if (device == DeviceChoice.GPU) {
      throw new ConfigurationException(
          "cifar.engine=onnxruntime runs on the CPU; cifar.device=gpu needs cifar.engine=pytorch"
              + " or auto");
    }
    if (!facts.artifactHasOnnx()) {
      throw new ArtifactException(
          "cifar.engine=onnxruntime needs the artifact's ONNX model (model.onnx), which this"
              + " artifact does not carry: export it with mvn cifar:export or -Dcifar.export=onnx");
    }
    if (!facts.onnxRuntimePresent()) {
      throw new ConfigurationException(
          "cifar.engine=onnxruntime needs ONNX Runtime (com.microsoft.onnxruntime:onnxruntime) on"
              + " the class path, and it is missing");
    }
    return ServingEngine.ONNXRUNTIME;
  }

  private static ServingEngine auto(DeviceChoice device, Facts facts, Consumer<String> notice) {
    if (device == DeviceChoice.GPU) {
      return ServingEngine.PYTORCH;
    }
    if (device == DeviceChoice.AUTO && facts.pytorchPresent() && facts.gpuVisible()) {
      return ServingEngine.PYTORCH;
    }
    String missing;
    if (!facts.artifactHasOnnx()) {
      missing =
          "the artifact carries no ONNX model (export it with mvn cifar:export or"
              + " -Dcifar.export=onnx)";
    } else if (!facts.onnxRuntimePresent()) {
      missing = "ONNX Runtime (com.microsoft.onnxruntime:onnxruntime) is not on the class path";
    } else {
      return ServingEngine.ONNXRUNTIME;
    }
    if (!facts.pytorchPresent()) {
      throw new ConfigurationException(
          "cifar.engine=auto cannot serve: "
              + missing
              + ", and this build has no PyTorch engine (the light build serves with ONNX Runtime"
              + " only)");
    }
    notice.accept("cifar.engine=auto serves with PyTorch on the CPU: " + missing);
    return ServingEngine.PYTORCH;
  }
}
