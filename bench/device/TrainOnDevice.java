import dev.cifar.data.Cifar10Dataset;
import dev.cifar.data.DataSets;
import dev.cifar.data.LabeledImages;
import dev.cifar.engine.DeviceChoice;
import dev.cifar.evaluation.EpochMetrics;
import dev.cifar.training.ProgressListener;
import dev.cifar.training.Training;
import dev.cifar.training.TrainingConfig;
import dev.cifar.training.TrainingOptions;
import dev.cifar.training.TrainingResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains several configurations one after the other in one JVM, on the device DJL picks (the GPU
 * when there is one), and prints one JSON line per epoch and per run. The accelerator counterpart
 * of bench/accuracy.py, which drives cifar:train on the CPU.
 *
 * <p>Usage: {@code java -cp ... TrainOnDevice --smoke [gpu|cpu]} (two short epochs on random
 * images; {@code cpu} rehearses the path on a machine without a GPU), or {@code java -cp ...
 * TrainOnDevice DATA_DIR RUN...}, each RUN {@code name:key=value;key=value} with keys epochs, seed,
 * network, augment, tta, lookahead (true/false), warmupFrom, decayTo, schedule, ema, device.
 */
public final class TrainOnDevice {

  public static void main(String[] args) {
    String shim = System.getenv("CIFAR_FROM_BLOB_SHIM");
    if (shim != null) {
      // global first, so that DJL's JNI binds the symbols its libtorch lacks to the shim,
      // then through the JVM, whose JNI_OnLoad call rebinds torchFromBlob
      com.sun.jna.NativeLibrary.getInstance(
          shim,
          java.util.Map.of(
              com.sun.jna.Library.OPTION_OPEN_FLAGS, 0x00002 | 0x00100)); // RTLD_NOW | RTLD_GLOBAL
      dev.cifar.engine.Engines.pytorch().newBaseManager().close();
      System.load(shim);
      System.err.println("torchFromBlob rebound to " + shim);
    }
    if (args[0].equals("--smoke")) {
      smoke(args.length > 1 ? DeviceChoice.parse(args[1]) : DeviceChoice.GPU);
      return;
    }
    Cifar10Dataset data = DataSets.read(Path.of(args[0]), w -> System.err.println("warning: " + w));
    for (int i = 1; i < args.length; i++) {
      String[] nameAndOptions = args[i].split(":", 2);
      String name = nameAndOptions[0];
      TrainingConfig config = config(nameAndOptions.length > 1 ? nameAndOptions[1] : "");
      long start = System.nanoTime();
      TrainingResult result =
          Training.builder()
              .setConfig(config)
              .setTrainingSet(data.train())
              .optTestSet(data.test())
              .optListener(
                  new ProgressListener() {
                    @Override
                    public void onInfo(String line) {
                      System.err.println(line);
                    }

                    @Override
                    public void onEpoch(EpochMetrics m) {
                      String line =
                          String.format(
                              Locale.ROOT,
                              "{\"run\": \"%s\", \"epoch\": %d, \"train_loss\": %.4f,"
                                  + " \"dev_accuracy\": %.4f, \"images_per_second\": %.0f, \"elapsed_seconds\": %.2f}",
                              name,
                              m.epoch(),
                              m.trainLoss(),
                              m.devAccuracy(),
                              m.imagesPerSecond(),
                              (System.nanoTime() - start) / 1e9);
                      System.out.println(line);
                    }
                  })
              .build()
              .run();
      System.out.println(
          String.format(
              Locale.ROOT,
              "{\"run\": \"%s\", \"final\": true, \"config\": \"%s\","
                  + " \"device\": \"%s\", \"dev_accuracy\": %.4f, \"test_accuracy\": %.4f, \"training_seconds\": %.2f}",
              name,
              config.toMap().toString().replace("\"", "'"),
              result.device(),
              result.dev().accuracy(),
              result.test().accuracy(),
              result.seconds()));
    }
  }

  /**
   * Two short epochs of the fast recipe on random images, on the device given (the GPU unless
   * {@code --smoke cpu}, which rehearses the path here): the whole path, end to end.
   */
  private static void smoke(DeviceChoice device) {
    java.util.Random random = new java.util.Random(1);
    byte[] pixels =
        new byte[3000 * LabeledImages.CHANNELS * LabeledImages.SIDE * LabeledImages.SIDE];
    byte[] labels = new byte[3000];
    random.nextBytes(pixels);
    for (int i = 0; i < labels.length; i++) {
      labels[i] = (byte) random.nextInt(10);
    }
    List<String> classes = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    TrainingResult result =
        Training.builder()
            .setConfig(
                TrainingConfig.builder()
                    .optNetwork("fast")
                    .optEpochs(2)
                    .optDevSize(500)
                    .optDevice(device)
                    .build())
            .setTrainingSet(new LabeledImages(pixels, labels, classes))
            .optListener(
                new ProgressListener() {
                  @Override
                  public void onInfo(String line) {
                    System.out.println(line);
                  }

                  @Override
                  public void onEpoch(EpochMetrics m) {
                    System.out.println(m.toLogLine());
                  }
                })
            .build()
            .run();
    System.out.println(
        "smoke ok: " + result.device() + ", dev accuracy on noise " + result.dev().accuracy());
  }

  /**
   * Options as {@code name=value;...} without the {@code cifar.} prefix, through training-core's
   * one mapping.
   */
  private static TrainingConfig config(String options) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put(TrainingOptions.NETWORK, "fast");
    values.put(TrainingOptions.DEVICE, "gpu");
    for (String option : options.split(";")) {
      if (option.isBlank()) {
        continue;
      }
      String[] kv = option.split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("an option is name=value, not " + option);
      }
      values.put("cifar." + kv[0].strip(), kv[1]);
    }
    return TrainingOptions.parse(values).build();
  }
}
