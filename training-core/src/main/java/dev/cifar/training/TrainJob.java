package dev.cifar.training;

import dev.cifar.ConfigurationException;
import dev.cifar.artifact.ModelArtifact;
import dev.cifar.artifact.UpToDate;
import dev.cifar.classifier.Classifier;
import dev.cifar.data.Cifar10Dataset;
import dev.cifar.data.DataSets;
import dev.cifar.data.LabeledImages;
import dev.cifar.engine.DeviceChoice;
import dev.cifar.evaluation.Evaluation;
import dev.cifar.report.HtmlReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The train use case as one call, what {@code cifar:train} runs: skip when an artifact of the same
 * fingerprint (code, configuration, data) exists, else read the data, train, write the artifact and
 * the HTML report. Everything it has to say goes to the listener. With {@link Builder#optFork} the
 * job runs in a {@link TrainingJvm} of its own, and the listener hears the same as in this process.
 */
public final class TrainJob {

  /** How many test images the report shows. */
  static final int REPORT_SAMPLES = 48;

  // the names of fromArguments' job arguments; the training options keep their cifar.* names
  private static final String DATA = "data";
  private static final String ARTIFACT = "artifact";
  private static final String REPORT = "report";
  private static final String CHECKPOINTS = "checkpoints";
  private static final String RESUME = "resume";
  private static final String FORCE = "force";

  private final TrainingConfig config;
  private final Path data;
  private final Path artifact;
  private final Path report;
  private final Path checkpoints;
  private final boolean resume;
  private final boolean force;
  private final ProgressListener listener;
  private final Map<String, String> options;
  private final TrainingJvm fork;

  private TrainJob(Builder b) {
    this.config = Objects.requireNonNull(b.config, "config");
    this.options = b.options;
    this.fork = b.fork;
    if (fork != null && options == null) {
      throw new IllegalStateException(
          "a forked job needs its configuration as options (setOptions), not as a built config");
    }
    this.data = Objects.requireNonNull(b.data, "data");
    this.artifact = Objects.requireNonNull(b.artifact, "artifact");
    this.report = Objects.requireNonNull(b.report, "report");
    this.checkpoints = b.checkpoints;
    this.resume = b.resume;
    this.force = b.force;
    this.listener = b.listener;
  }

  /**
   * Starts a builder.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * What a job did.
   *
   * @param trained whether it trained; {@code false}: the artifact was up to date
   * @param artifact the artifact file, written or found
   * @param fingerprint the inputs' fingerprint, recorded in the artifact
   */
  public record Outcome(boolean trained, Path artifact, String fingerprint) {}

  /**
   * Trains unless the artifact is up to date, and writes the artifact and the report.
   *
   * @return what it did
   * @throws dev.cifar.CifarException when the data, the configuration or a file is wrong, or when
   *     the forked JVM ends before it finishes
   */
  public Outcome run() {
    if (fork != null) {
      return fork.run(arguments(), listener);
    }
    String fingerprint = Fingerprint.of(config, DataSets.checksums(data));
    String stale = force ? "forced (cifar.force)" : UpToDate.staleReason(artifact, fingerprint);
    if (stale == null) {
      listener.onInfo(
          "cifar:train is up to date (fingerprint "
              + fingerprint.substring(0, 12)
              + "…): "
              + artifact);
      if (!Files.exists(report)) {
        writeReport(ModelArtifact.read(artifact), DataSets.readTestSet(data, w -> {}));
      }
      return new Outcome(false, artifact, fingerprint);
    }
    listener.onInfo("Training: " + stale);
    listener.onInfo("Reading training data from " + data);
    Cifar10Dataset dataset = DataSets.read(data, listener::onWarning);
    TrainingResult result =
        Training.builder()
            .setConfig(config)
            .setTrainingSet(dataset.train())
            .optTestSet(dataset.test())
            .optListener(listener)
            .optCheckpoints(checkpoints)
            .optResume(resume)
            .build()
            .run();
    ModelArtifact written = result.toArtifact(fingerprint);
    written.write(artifact);
    summarize(result, written);
    writeReport(written, dataset.test());
    return new Outcome(true, artifact, fingerprint);
  }

  private void summarize(TrainingResult result, ModelArtifact written) {
    Evaluation dev = result.dev();
    if (dev != null) {
      listener.onInfo(
          String.format(
              Locale.ROOT, "dev accuracy %.4f on %,d images", dev.accuracy(), dev.count()));
    }
    Evaluation test = result.test();
    if (test != null) {
      listener.onInfo(
          String.format(
              Locale.ROOT, "test accuracy %.4f on %,d images", test.accuracy(), test.count()));
      test.toTable().forEach(listener::onInfo);
    }
    listener.onInfo(
        String.format(
            Locale.ROOT,
            "Model artifact written to %s (SHA-256 %s, trained in %.1f s)",
            artifact.toAbsolutePath(),
            written.checksum().substring(0, 12),
            result.seconds()));
  }

  private void writeReport(ModelArtifact model, LabeledImages test) {
    try (Classifier classifier =
        Classifier.builder().setArtifact(model).optDevice(DeviceChoice.CPU).build()) {
      new HtmlReport(
              model.metadata(),
              model.metadata().test(),
              HtmlReport.samples(classifier, test, REPORT_SAMPLES))
          .write(report);
    }
    listener.onInfo("Report: " + report.toAbsolutePath());
  }

  /**
   * Describes the job as {@code name=value} arguments for {@link #fromArguments}: the paths, the
   * flags and the training options.
   */
  List<String> arguments() {
    List<String> args = new ArrayList<>();
    args.add(DATA + "=" + data);
    args.add(ARTIFACT + "=" + artifact);
    args.add(REPORT + "=" + report);
    if (checkpoints != null) {
      args.add(CHECKPOINTS + "=" + checkpoints);
    }
    args.add(RESUME + "=" + resume);
    args.add(FORCE + "=" + force);
    options.forEach((name, value) -> args.add(name + "=" + value));
    return args;
  }

  /**
   * Reads a job back from {@link #arguments()}, in the forked JVM.
   *
   * @param args {@code name=value} arguments
   * @return a builder with everything but the listener set
   * @throws ConfigurationException naming an argument or an option that is wrong
   */
  static Builder fromArguments(List<String> args) {
    Map<String, String> job = new LinkedHashMap<>();
    Map<String, String> training = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 1) {
        throw new ConfigurationException(
            "A training JVM argument is not name=value: '" + arg + "'");
      }
      String name = arg.substring(0, eq);
      (name.startsWith("cifar.") ? training : job).put(name, arg.substring(eq + 1));
    }
    Builder b =
        builder()
            .setOptions(training)
            .setData(Path.of(required(job, DATA)))
            .setArtifact(Path.of(required(job, ARTIFACT)))
            .setReport(Path.of(required(job, REPORT)))
            .optResume(Boolean.parseBoolean(job.remove(RESUME)))
            .optForce(Boolean.parseBoolean(job.remove(FORCE)));
    String checkpoints = job.remove(CHECKPOINTS);
    if (checkpoints != null) {
      b.optCheckpoints(Path.of(checkpoints));
    }
    if (!job.isEmpty()) {
      throw new ConfigurationException("Unknown training JVM arguments " + job.keySet());
    }
    return b;
  }

  private static String required(Map<String, String> job, String name) {
    String value = job.remove(name);
    if (value == null) {
      throw new ConfigurationException("The training JVM needs the argument " + name);
    }
    return value;
  }

  /** Builds a {@link TrainJob}. */
  public static final class Builder {
    private TrainingConfig config;
    private Path data;
    private Path artifact;
    private Path report;
    private Path checkpoints;
    private boolean resume;
    private boolean force;
    private ProgressListener listener = new ProgressListener() {};
    private Map<String, String> options;
    private TrainingJvm fork;

    private Builder() {}

    /**
     * Sets the run's configuration from {@code cifar.*} options, as {@link TrainingOptions#parse}
     * reads them; the form a forked job needs, as the options are what crosses to the other JVM.
     *
     * @param options the options by name; each value as text
     * @return this builder
     * @throws ConfigurationException naming an option that is wrong
     */
    public Builder setOptions(Map<String, String> options) {
      this.config = TrainingOptions.parse(options).build();
      this.options = new LinkedHashMap<>(options);
      return this;
    }

    /**
     * Returns the network of the configuration set so far, for paths named after it.
     *
     * @return the network's name
     * @throws IllegalStateException when no configuration is set yet
     */
    public String network() {
      if (config == null) {
        throw new IllegalStateException("set the configuration first");
      }
      return config.network();
    }

    /**
     * Runs the job in a JVM of its own (see {@link TrainingJvm}); the configuration must come from
     * {@link #setOptions}.
     *
     * @param fork the JVM to start, or {@code null} to train in this process
     * @return this builder
     */
    public Builder optFork(TrainingJvm fork) {
      this.fork = fork;
      return this;
    }

    /**
     * Sets the run's configuration.
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder setConfig(TrainingConfig config) {
      this.config = config;
      this.options = null;
      return this;
    }

    /**
     * Sets the data directory ({@link dev.cifar.data.DataLocation} resolves it).
     *
     * @param data CIFAR-10 binary files or class folders
     * @return this builder
     */
    public Builder setData(Path data) {
      this.data = data;
      return this;
    }

    /**
     * Sets the artifact file to write, or to find up to date.
     *
     * @param artifact the zip
     * @return this builder
     */
    public Builder setArtifact(Path artifact) {
      this.artifact = artifact;
      return this;
    }

    /**
     * Sets the HTML report file.
     *
     * @param report the file
     * @return this builder
     */
    public Builder setReport(Path report) {
      this.report = report;
      return this;
    }

    /**
     * Writes a checkpoint there after every epoch (see {@link Training.Builder#optCheckpoints}).
     *
     * @param checkpoints the directory, or {@code null} for none
     * @return this builder
     */
    public Builder optCheckpoints(Path checkpoints) {
      this.checkpoints = checkpoints;
      return this;
    }

    /**
     * Continues from the checkpoint (see {@link Training.Builder#optResume}).
     *
     * @param resume whether to resume
     * @return this builder
     */
    public Builder optResume(boolean resume) {
      this.resume = resume;
      return this;
    }

    /**
     * Trains even when the artifact is up to date.
     *
     * @param force whether to force
     * @return this builder
     */
    public Builder optForce(boolean force) {
      this.force = force;
      return this;
    }

    /**
     * Sets where progress and messages go.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder optListener(ProgressListener listener) {
      this.listener = Objects.requireNonNull(listener);
      return this;
    }

    /**
     * Builds the job.
     *
     * @return the job, not yet run
     */
    public TrainJob build() {
      return new TrainJob(this);
    }
  }
}
