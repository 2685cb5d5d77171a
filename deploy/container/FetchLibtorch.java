import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.LibUtils;
import java.nio.file.Path;

/**
 * Image build step of the GPU images, run with Java's source launcher on a class path of DJL's jars
 * without {@code pytorch-native-cpu}: starting the PyTorch engine makes DJL download the libtorch
 * of {@code PYTORCH_FLAVOR} (e.g. {@code cu128}) into {@code DJL_CACHE_DIR}, with its JNI library
 * beside it. Fails when DJL fell back to another flavour, so that an image never ships a CPU
 * libtorch under a GPU name.
 */
public final class FetchLibtorch {

  private FetchLibtorch() {}

  /**
   * Fetches libtorch and prints where it is.
   *
   * @param args none
   */
  public static void main(String[] args) {
    String flavor = System.getenv("PYTORCH_FLAVOR");
    Engine engine = Engine.getEngine("PyTorch");
    Path dir = Path.of(LibUtils.getLibtorchPath());
    System.out.println(
        "libtorch "
            + engine.getVersion()
            + " in "
            + dir
            + " (GPUs visible now: "
            + engine.getGpuCount()
            + ")");
    if (flavor != null && !dir.getFileName().toString().contains("-" + flavor + "-")) {
      System.err.println("expected the " + flavor + " flavour of libtorch, got " + dir);
      System.exit(1);
    }
  }
}
