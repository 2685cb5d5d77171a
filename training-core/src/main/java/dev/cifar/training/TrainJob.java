package dev.cifar.training;

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
import java.util.Locale;
import java.util.Objects;

/**
 * The train use case as one call, what {@code cifar:train} runs: skip when an artifact of the same
 * fingerprint (code, configuration, data) exists, else read the data, train, write the artifact and
 * the HTML report. Everything it has to say goes to the listener.
 */
public final class TrainJob {

  /** How many test images the report shows. */
  static final int REPORT_SAMPLES = 48;

  private final TrainingConfig config;
  private final Path data;
  private final Path artifact;
  private final Path report;
  private final Path checkpoints;
  private final boolean resume;
  private final boolean force;
  private final ProgressListener listener;

  private TrainJob(Builder b) {
    this.config = Objects.requireNonNull(b.config, "config");
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
   * @throws dev.cifar.CifarException when the data, the configuration or a file is wrong
   */
  public Outcome run() {
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

    private Builder() {}

    /**
     * Sets the run's configuration.
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder setConfig(TrainingConfig config) {
      this.config = config;
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
