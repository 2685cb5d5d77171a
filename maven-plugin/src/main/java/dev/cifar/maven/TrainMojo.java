package dev.cifar.maven;

import dev.cifar.CifarException;
import dev.cifar.artifact.ModelArtifact;
import dev.cifar.artifact.UpToDate;
import dev.cifar.data.Cifar10Dataset;
import dev.cifar.data.DataSets;
import dev.cifar.classifier.Classifier;
import dev.cifar.data.LabeledImages;
import dev.cifar.report.HtmlReport;
import dev.cifar.engine.DeviceChoice;
import dev.cifar.evaluation.Evaluation;
import dev.cifar.training.Augmentation;
import dev.cifar.training.Fingerprint;
import dev.cifar.training.LearningRateSchedule;
import dev.cifar.training.Training;
import dev.cifar.training.TrainingConfig;
import dev.cifar.training.TrainingResult;
import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Trains a network on CIFAR-10 and writes the model artifact: a zip with the parameters and
 * a {@code model.json} recording classes, normalisation, configuration, per-epoch history and
 * dev and test metrics, and the HTML report. Skips training, saying so, when the artifact's
 * fingerprint matches the inputs; writes a checkpoint after every epoch; attaches the artifact
 * to the project (type {@code zip}, classifier {@code model}). Typed on the command line in a multi-module build, it runs once, in
 * the project the build was started from.
 */
@Mojo(name = "train", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public final class TrainMojo extends AbstractCifarMojo {

    /** Number of passes over the training split. */
    @Parameter(property = Properties.EPOCHS, defaultValue = "10")
    private int epochs;

    /** Images per training step. */
    @Parameter(property = Properties.BATCH_SIZE, defaultValue = "128")
    private int batchSize;

    /** The (peak) learning rate. */
    @Parameter(property = Properties.LEARNING_RATE, defaultValue = "0.001")
    private float learningRate;

    /** Seed of the train/dev split, the per-epoch shuffles and the initial weights. */
    @Parameter(property = Properties.SEED, defaultValue = "42")
    private long seed;

    /** {@code auto} (GPU when DJL sees one, else CPU), {@code cpu} or {@code gpu}. */
    @Parameter(property = Properties.DEVICE, defaultValue = "auto")
    private String device;

    /** {@code adam} (the notebook) or {@code sgd} (with Nesterov momentum). */
    @Parameter(property = Properties.OPTIMIZER, defaultValue = "adam")
    private String optimizer;

    /** SGD's momentum. */
    @Parameter(property = Properties.MOMENTUM, defaultValue = "0.9")
    private float momentum;

    /** L2 weight decay (both optimizers). */
    @Parameter(property = Properties.WEIGHT_DECAY, defaultValue = "0")
    private float weightDecay;

    /** The learning rate after warm-up: {@code constant}, {@code linear} or {@code cosine} decay to 0. */
    @Parameter(property = Properties.SCHEDULE, defaultValue = "constant")
    private String schedule;

    /** Epochs of linear learning-rate warm-up from 0 (may be fractional). */
    @Parameter(property = Properties.WARMUP_EPOCHS, defaultValue = "0")
    private float warmupEpochs;

    /** Label smoothing of the cross-entropy, in [0, 1). */
    @Parameter(property = Properties.LABEL_SMOOTHING, defaultValue = "0")
    private float labelSmoothing;

    /** Augmentation of training batches, comma-separated: {@code flip}, {@code crop}, {@code cutout}, or {@code none}. */
    @Parameter(property = Properties.AUGMENT, defaultValue = "none")
    private String augment;

    /** Stops when the dev loss has not improved for this many epochs; 0 never stops early. */
    @Parameter(property = Properties.PATIENCE, defaultValue = "0")
    private int patience;

    /** Ships the weights of the epoch with the lowest dev loss, not those of the last epoch. */
    @Parameter(property = Properties.KEEP_BEST, defaultValue = "true")
    private boolean keepBest;

    /** Images held out of the training batches for the dev split. */
    @Parameter(property = Properties.DEV_SIZE, defaultValue = "5000")
    private int devSize;

    /** Images to train on; {@code -1} takes all that the dev split leaves. */
    @Parameter(property = Properties.TRAIN_SIZE, defaultValue = "-1")
    private int trainSize;

    /**
     * The artifact to write. Defaults to
     * {@code ${project.build.directory}/cifar/cifar10-<network>.zip}.
     */
    @Parameter(property = Properties.OUTPUT)
    private File output;

    /**
     * Continues from the checkpoint of the last completed epoch (in {@code checkpoints})
     * instead of starting over; with a larger {@code cifar.epochs} it trains a finished run
     * further.
     */
    @Parameter(property = Properties.RESUME, defaultValue = "false")
    private boolean resume;

    /**
     * Where a checkpoint is written after every epoch. Defaults to
     * {@code ${project.build.directory}/cifar/checkpoints/<network>}.
     */
    @Parameter(property = Properties.CHECKPOINTS)
    private File checkpoints;

    /** The HTML report. Defaults to {@code ${project.build.directory}/cifar/report.html}. */
    @Parameter(property = Properties.REPORT)
    private File report;

    /** Attaches the artifact to the project (type {@code zip}, classifier {@code model}) for install and deploy. */
    @Parameter(property = Properties.ATTACH, defaultValue = "true")
    private boolean attach;

    @Component
    private MavenProjectHelper projectHelper;

    /** Trains even when the artifact is up to date with the inputs' fingerprint. */
    @Parameter(property = Properties.FORCE, defaultValue = "false")
    private boolean force;

    @Override
    public void execute() throws MojoExecutionException {
        if (!shouldRun("train")) {
            return;
        }
        try {
            TrainingConfig config = TrainingConfig.builder()
                    .optNetwork(network)
                    .optEpochs(epochs)
                    .optBatchSize(batchSize)
                    .optLearningRate(learningRate)
                    .optSeed(seed)
                    .optDevice(DeviceChoice.parse(device))
                    .optDevSize(devSize)
                    .optTrainSize(trainSize)
                    .optOptimizer(optimizer)
                    .optMomentum(momentum)
                    .optWeightDecay(weightDecay)
                    .optSchedule(LearningRateSchedule.Shape.parse(schedule))
                    .optWarmupEpochs(warmupEpochs)
                    .optLabelSmoothing(labelSmoothing)
                    .optAugment(Augmentation.Kind.parse(augment))
                    .optPatience(patience)
                    .optKeepBest(keepBest)
                    .build();
            Path target = output != null ? output.toPath() : defaultArtifact();
            Path reportFile = report != null ? report.toPath() : cifarDirectory().resolve("report.html");
            MavenProgress progress = new MavenProgress(getLog(), session.getRequest().isInteractiveMode());
            Path dir = dataDirectory(progress::onInfo);
            String fingerprint = Fingerprint.of(config, DataSets.checksums(dir));
            String stale = force ? "forced (" + Properties.FORCE + ")" : UpToDate.staleReason(target, fingerprint);
            if (stale == null) {
                getLog().info("cifar:train is up to date (fingerprint " + fingerprint.substring(0, 12) + "…): " + target);
                if (!java.nio.file.Files.exists(reportFile)) {
                    writeReport(ModelArtifact.read(target), DataSets.readTestSet(dir, w -> { }), reportFile);
                }
                attach(target);
                return;
            }
            getLog().info("Training: " + stale);
            getLog().info("Reading training data from " + dir);
            Cifar10Dataset dataset = DataSets.read(dir, progress::onWarning);
            TrainingResult result = Training.builder()
                    .setConfig(config)
                    .setTrainingSet(dataset.train())
                    .optTestSet(dataset.test())
                    .optListener(progress)
                    .optCheckpoints(checkpoints != null ? checkpoints.toPath()
                            : cifarDirectory().resolve("checkpoints").resolve(network))
                    .optResume(resume)
                    .build()
                    .run();
            ModelArtifact artifact = ModelArtifact.of(result, fingerprint);
            artifact.write(target);
            report(result, target, artifact);
            writeReport(artifact, dataset.test(), reportFile);
            attach(target);
        } catch (CifarException e) {
            throw new MojoExecutionException("cifar:train failed: " + e.getMessage(), e);
        }
    }

    private void writeReport(ModelArtifact artifact, LabeledImages test, Path file) {
        try (Classifier classifier = Classifier.builder().setArtifact(artifact).optDevice(DeviceChoice.CPU).build()) {
            new HtmlReport(artifact.metadata(), artifact.metadata().test(), HtmlReport.samples(classifier, test, 48))
                    .write(file);
        }
        getLog().info("Report: " + file.toAbsolutePath());
    }

    private void attach(Path target) {
        if (attach) {
            projectHelper.attachArtifact(project, "zip", "model", target.toFile());
        }
    }

    private void report(TrainingResult result, Path target, ModelArtifact artifact) {
        Evaluation test = result.test();
        if (result.dev() != null) {
            getLog().info(String.format(Locale.ROOT, "dev accuracy %.4f on %,d images", result.dev().accuracy(),
                    result.dev().count()));
        }
        if (test != null) {
            getLog().info(String.format(Locale.ROOT, "test accuracy %.4f on %,d images", test.accuracy(), test.count()));
            logTable(test.toTable());
        }
        getLog().info(String.format(Locale.ROOT, "Model artifact written to %s (SHA-256 %s, trained in %.1f s)",
                target.toAbsolutePath(), artifact.checksum().substring(0, 12), result.seconds()));
    }
}
