package dev.cifar.maven;

import dev.cifar.CifarException;
import dev.cifar.artifact.ModelArtifact;
import dev.cifar.artifact.UpToDate;
import dev.cifar.data.Cifar10Dataset;
import dev.cifar.data.Cifar10Reader;
import dev.cifar.data.DataLocation;
import dev.cifar.engine.DeviceChoice;
import dev.cifar.evaluation.Evaluation;
import dev.cifar.training.Fingerprint;
import dev.cifar.training.Training;
import dev.cifar.training.TrainingConfig;
import dev.cifar.training.TrainingResult;
import java.io.File;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Trains a network on CIFAR-10 and writes the model artifact: a zip with the parameters and
 * a {@code model.json} recording classes, normalisation, configuration, per-epoch history and
 * dev and test metrics. Typed on the command line in a multi-module build, it runs once, in
 * the project the build was started from.
 */
@Mojo(name = "train", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public final class TrainMojo extends AbstractMojo {

    /**
     * The CIFAR-10 binary version: the {@code cifar-10-batches-bin} directory or its parent.
     * When unset, the {@code CIFAR10_HOME} environment variable, else the download cache.
     */
    @Parameter(property = Properties.DATA)
    private File data;

    /**
     * Where the official archive is downloaded and extracted when no data directory is given.
     * Defaults to {@code CIFAR10_CACHE}, else {@code ~/.cache/cifar10}.
     */
    @Parameter(property = Properties.CACHE)
    private File cache;

    /** Number of passes over the training split. */
    @Parameter(property = Properties.EPOCHS, defaultValue = "10")
    private int epochs;

    /** Images per training step. */
    @Parameter(property = Properties.BATCH_SIZE, defaultValue = "128")
    private int batchSize;

    /** Adam's learning rate. */
    @Parameter(property = Properties.LEARNING_RATE, defaultValue = "0.001")
    private float learningRate;

    /** The network to train, by name: {@code seed} is the notebook's network. */
    @Parameter(property = Properties.NETWORK, defaultValue = "seed")
    private String network;

    /** Seed of the train/dev split, the per-epoch shuffles and the initial weights. */
    @Parameter(property = Properties.SEED, defaultValue = "42")
    private long seed;

    /** {@code auto} (GPU when DJL sees one, else CPU), {@code cpu} or {@code gpu}. */
    @Parameter(property = Properties.DEVICE, defaultValue = "auto")
    private String device;

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

    /** Trains even when the artifact is up to date with the inputs' fingerprint. */
    @Parameter(property = Properties.FORCE, defaultValue = "false")
    private boolean force;

    /** Skips training. */
    @Parameter(property = Properties.SKIP, defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
    private MojoExecution mojoExecution;

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            getLog().info("Skipping cifar:train (" + Properties.SKIP + ")");
            return;
        }
        if (!ReactorRoot.runsHere(session, project, mojoExecution)) {
            getLog().debug("cifar:train from the command line runs once, in " + ReactorRoot.of(session).getName());
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
                    .build();
            Path target = output != null ? output.toPath()
                    : Path.of(project.getBuild().getDirectory(), "cifar", "cifar10-" + network + ".zip");
            MavenProgress progress = new MavenProgress(getLog(), session.getRequest().isInteractiveMode());
            Path dir = DataLocation.resolve(data == null ? null : data.toPath(), cache == null ? null : cache.toPath(),
                    progress::onInfo);
            String fingerprint = Fingerprint.of(config, Cifar10Reader.checksums(dir));
            String stale = force ? "forced (" + Properties.FORCE + ")" : UpToDate.staleReason(target, fingerprint);
            if (stale == null) {
                getLog().info("cifar:train is up to date (fingerprint " + fingerprint.substring(0, 12) + "…): " + target);
                return;
            }
            getLog().info("Training: " + stale);
            getLog().info("Reading CIFAR-10 from " + dir);
            Cifar10Dataset dataset = Cifar10Reader.read(dir, progress::onWarning);
            TrainingResult result = Training.builder()
                    .setConfig(config)
                    .setTrainingSet(dataset.train())
                    .optTestSet(dataset.test())
                    .optListener(progress)
                    .build()
                    .run();
            ModelArtifact artifact = ModelArtifact.of(result, fingerprint);
            artifact.write(target);
            report(result, target, artifact);
        } catch (CifarException e) {
            throw new MojoExecutionException("cifar:train failed: " + e.getMessage(), e);
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
            test.toTable().forEach(getLog()::info);
        }
        getLog().info(String.format(Locale.ROOT, "Model artifact written to %s (SHA-256 %s, trained in %.1f s)",
                target.toAbsolutePath(), artifact.checksum().substring(0, 12), result.seconds()));
    }
}
