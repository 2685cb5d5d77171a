package dev.cifar.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cifar.ConfigurationException;
import dev.cifar.artifact.ArtifactException;
import dev.cifar.engine.DeviceChoice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineSelectionTest {

  private record Facts(boolean onnx, boolean ort, boolean torch, boolean gpu)
      implements EngineSelection.Facts {
    @Override
    public boolean artifactHasOnnx() {
      return onnx;
    }

    @Override
    public boolean onnxRuntimePresent() {
      return ort;
    }

    @Override
    public boolean pytorchPresent() {
      return torch;
    }

    @Override
    public boolean gpuVisible() {
      return gpu;
    }
  }

  private static final Facts EVERYTHING_NO_GPU = new Facts(true, true, true, false);
  private static final Facts EVERYTHING_AND_A_GPU = new Facts(true, true, true, true);
  private static final Facts LIGHT_BUILD = new Facts(true, true, false, false);

  private final List<String> notices = new ArrayList<>();

  private ServingEngine resolve(ServingEngine wanted, DeviceChoice device, Facts facts) {
    return EngineSelection.resolve(wanted, device, facts, notices::add);
  }

  @Test
  void autoIsOnnxRuntimeOnTheCpuAndPyTorchOnAGpu() {
    assertThat(resolve(ServingEngine.AUTO, DeviceChoice.AUTO, EVERYTHING_NO_GPU))
        .isEqualTo(ServingEngine.ONNXRUNTIME);
    assertThat(resolve(ServingEngine.AUTO, DeviceChoice.CPU, EVERYTHING_AND_A_GPU))
        .isEqualTo(ServingEngine.ONNXRUNTIME);
    assertThat(resolve(ServingEngine.AUTO, DeviceChoice.AUTO, EVERYTHING_AND_A_GPU))
        .isEqualTo(ServingEngine.PYTORCH);
    assertThat(resolve(ServingEngine.AUTO, DeviceChoice.GPU, EVERYTHING_NO_GPU))
        .isEqualTo(ServingEngine.PYTORCH);
    assertThat(resolve(ServingEngine.AUTO, DeviceChoice.AUTO, LIGHT_BUILD))
        .isEqualTo(ServingEngine.ONNXRUNTIME);
    assertThat(notices).isEmpty();
  }

  @Test
  void autoSaysWhyItServesWithPyTorchOnTheCpu() {
    assertThat(resolve(ServingEngine.AUTO, DeviceChoice.CPU, new Facts(false, true, true, false)))
        .isEqualTo(ServingEngine.PYTORCH);
    assertThat(resolve(ServingEngine.AUTO, DeviceChoice.AUTO, new Facts(true, false, true, false)))
        .isEqualTo(ServingEngine.PYTORCH);
    assertThat(notices)
        .satisfiesExactly(
            n -> assertThat(n).contains("carries no ONNX model", "cifar:export"),
            n -> assertThat(n).contains("com.microsoft.onnxruntime:onnxruntime"));
  }

  @Test
  void theEngineAskedForIsTakenOrRefusedNeverSwapped() {
    assertThat(resolve(ServingEngine.PYTORCH, DeviceChoice.CPU, EVERYTHING_NO_GPU))
        .isEqualTo(ServingEngine.PYTORCH);
    assertThat(resolve(ServingEngine.ONNXRUNTIME, DeviceChoice.AUTO, EVERYTHING_AND_A_GPU))
        .isEqualTo(ServingEngine.ONNXRUNTIME);
    assertThatThrownBy(
            () ->
                resolve(
                    ServingEngine.ONNXRUNTIME,
                    DeviceChoice.CPU,
                    new Facts(false, true, true, false)))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("model.onnx");
    assertThatThrownBy(
            () ->
                resolve(
                    ServingEngine.ONNXRUNTIME,
                    DeviceChoice.CPU,
                    new Facts(true, false, true, false)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("com.microsoft.onnxruntime:onnxruntime");
    assertThatThrownBy(
            () -> resolve(ServingEngine.ONNXRUNTIME, DeviceChoice.GPU, EVERYTHING_NO_GPU))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cifar.device=gpu");
    assertThat(notices).isEmpty();
  }

  @Test
  void theLightBuildRefusesWhatNeedsPyTorch() {
    assertThatThrownBy(() -> resolve(ServingEngine.PYTORCH, DeviceChoice.CPU, LIGHT_BUILD))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("no PyTorch engine");
    assertThatThrownBy(() -> resolve(ServingEngine.AUTO, DeviceChoice.GPU, LIGHT_BUILD))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("cifar.device=gpu needs PyTorch");
    assertThatThrownBy(
            () ->
                resolve(ServingEngine.AUTO, DeviceChoice.CPU, new Facts(false, true, false, false)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("carries no ONNX model")
        .hasMessageContaining("no PyTorch engine");
    assertThat(notices).isEmpty();
  }

  @Test
  void engineNamesParseLikeTheOtherOptions() {
    assertThat(ServingEngine.parse(" OnnxRuntime ")).isEqualTo(ServingEngine.ONNXRUNTIME);
    assertThat(ServingEngine.parse("")).isEqualTo(ServingEngine.AUTO);
    assertThat(ServingEngine.ONNXRUNTIME.label()).isEqualTo("onnxruntime");
    assertThatThrownBy(() -> ServingEngine.parse("tensorflow"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Unknown engine 'tensorflow'")
        .hasMessageContaining("auto, pytorch or onnxruntime (cifar.engine)");
  }
}
