import ai.djl.pytorch.jni.JniUtils;
import dev.cifar.data.AtomicFiles;
import dev.cifar.evaluation.EpochMetrics;
import dev.cifar.training.ProgressListener;
import dev.cifar.training.TrainJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Records libtorch's operators over a stretch of training steps, for bench/step-profile.py: trains
 * a network in this JVM (as cifar:train's training JVM does, which step-profile.py starts with the
 * same MALLOC_ARENA_MAX=1 and C1) with the {@code cifar.*} options given and, from the first step
 * of the epoch given, profiles the steps given with DJL's {@code JniUtils.startProfile}, writing a
 * Chrome trace.
 *
 * <p>Usage: {@code StepProfile DATA TRACE.json EPOCH STEPS [cifar.option=value ...]}
 */
public final class StepProfile {

  private StepProfile() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    String trace = args[1];
    int epoch = Integer.parseInt(args[2]);
    int steps = Integer.parseInt(args[3]);
    Map<String, String> options = new HashMap<>();
    for (int i = 4; i < args.length; i++) {
      String[] option = args[i].split("=", 2);
      options.put(option[0], option[1]);
    }
    options.put("cifar.epochs", Integer.toString(epoch));
    Path out = Files.createTempDirectory("step-profile");
    ProgressListener listener =
        new ProgressListener() {
          private boolean started;
          private boolean stopped;

          @Override
          public void onInfo(String line) {}

          @Override
          public void onWarning(String line) {
            System.err.println(line);
          }

          @Override
          public void onBatch(int e, int batch, int batches) {
            // called after each step, on the training thread
            if (e == epoch && !started) {
              JniUtils.startProfile(false, false, false);
              started = true;
            } else if (started && !stopped && batch == steps + 1) {
              JniUtils.stopProfile(trace);
              stopped = true;
            }
          }

          @Override
          public void onEpoch(EpochMetrics metrics) {
            System.out.println(metrics.toLogLine());
          }
        };
    try {
      TrainJob.builder()
          .setOptions(options)
          .setData(data)
          .setArtifact(out.resolve("model.zip"))
          .setReport(out.resolve("report.html"))
          .optForce(true)
          .optListener(listener)
          .build()
          .run();
    } finally {
      AtomicFiles.deleteTree(out);
    }
  }
}
