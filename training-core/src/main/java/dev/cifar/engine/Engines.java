package dev.cifar.engine;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import dev.cifar.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The one place where the DJL PyTorch engine is started. It forces offline mode and opts out of
 * usage tracking before the engine loads, so that no download or telemetry call ever leaves the
 * machine, repairs oneDNN's view of the CPU caches where a hypervisor hides them ({@link
 * OneDnnCaches}) before any convolution runs, and picks the device.
 */
public final class Engines {

  /** The DJL engine this project runs on. */
  public static final String ENGINE = "PyTorch";

  private Engines() {}

  /**
   * Returns the PyTorch engine, started offline and without usage tracking, with oneDNN's cache
   * sizes checked (and repaired where needed) once per process.
   *
   * @return the engine
   */
  public static Engine pytorch() {
    setIfAbsent("ai.djl.offline", "true");
    setIfAbsent("OPT_OUT_TRACKING", "true");
    Engine engine = Engine.getEngine(ENGINE);
    OneDnnCaches.repairOnce();
    return engine;
  }

  /**
   * Picks the device for a choice.
   *
   * @param choice auto, cpu or gpu
   * @return the first GPU when wanted and present, else the CPU
   * @throws ConfigurationException when a GPU is demanded and DJL sees none
   */
  public static Device select(DeviceChoice choice) {
    Engine engine = pytorch();
    int gpus = engine.getGpuCount();
    return switch (choice) {
      case CPU -> Device.cpu();
      case GPU -> {
        if (gpus == 0) {
          throw new ConfigurationException(
              "cifar.device=gpu, but DJL sees no GPU (PyTorch "
                  + engine.getVersion()
                  + " with a CPU-only libtorch, or no CUDA driver)");
        }
        yield Device.gpu();
      }
      case AUTO -> gpus > 0 ? Device.gpu() : Device.cpu();
    };
  }

  /**
   * Tells whether a CUDA GPU is visible, without starting libtorch: what {@code auto} devices and
   * engines ask before they load anything heavy.
   *
   * @return true when the CUDA runtime reports at least one GPU
   */
  public static boolean gpuVisible() {
    return ai.djl.util.cuda.CudaUtils.hasCuda();
  }

  /**
   * Describes a device for a log line.
   *
   * @param device the device
   * @return e.g. {@code cpu (PyTorch 2.7.1, 2 threads)} or {@code gpu(0) (PyTorch 2.7.1)}
   */
  public static String describe(Device device) {
    Engine engine = pytorch();
    String what = device.isGpu() ? "gpu(" + device.getDeviceId() + ")" : "cpu";
    return what
        + " (PyTorch "
        + engine.getVersion()
        + ", DJL "
        + Engine.getDjlVersion()
        + (device.isGpu() ? "" : ", " + Runtime.getRuntime().availableProcessors() + " cores")
        + ")";
  }

  /**
   * Loads a TorchScript module that ships as a class-path resource.
   *
   * @param owner the class the resource lies next to
   * @param resource the resource's file name
   * @param what the module, for the error message
   * @param device where it runs
   * @return the model holding the module as its block; the caller closes it
   * @throws IllegalStateException when the resource is missing or does not load
   */
  public static Model torchScriptResource(
      Class<?> owner, String resource, String what, Device device) {
    Model model = Model.newInstance(resource, device, pytorch().getEngineName());
    try (InputStream in = owner.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("the resource " + resource + " is missing from the class path");
      }
      model.load(in, Map.of());
      return model;
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      throw new IllegalStateException("Cannot load the " + what + ": " + e.getMessage(), e);
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
