package dev.cifar.maven;

import dev.cifar.CifarException;
import dev.cifar.export.OnnxExport;
import dev.cifar.training.TrainJob;
import dev.cifar.training.TrainingConfig;
import dev.cifar.training.TrainingJvm;
import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProjectHelper;
import org.eclipse.aether.RepositorySystem;

/**
 * Trains a network on CIFAR-10 and writes the model artifact: a zip with the parameters and a
 * {@code model.json} recording classes, normalisation, configuration, per-epoch history and dev and
 * test metrics, and the HTML report. Skips training, saying so, when the artifact's fingerprint
 * matches the inputs; writes a checkpoint after every epoch; attaches the artifact to the project
 * (type {@code zip}, classifier {@code model}). Typed on the command line in a multi-module build,
 * it runs once, in the project the build was started from.
 */
@Mojo(name = "train", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public final class TrainMojo extends AbstractCifarMojo {

  /** Number of passes over the training split. */
  @Parameter(property = Properties.EPOCHS, defaultValue = "" + TrainingConfig.DEFAULT_EPOCHS)
  private int epochs;

  /**
   * Images per training step. Unset: the network's recipe (each network's value: docs/training.md).
   */
  @Parameter(property = Properties.BATCH_SIZE)
  private Integer batchSize;

  /**
   * The (peak) learning rate. Unset: the network's recipe (each network's value: docs/training.md).
   */
  @Parameter(property = Properties.LEARNING_RATE)
  private Float learningRate;

  /** Seed of the train/dev split, the per-epoch shuffles and the initial weights. */
  @Parameter(property = Properties.SEED, defaultValue = "" + TrainingConfig.DEFAULT_SEED)
  private long seed;

  /** {@code auto} (GPU when DJL sees one, else CPU), {@code cpu} or {@code gpu}. */
  @Parameter(property = Properties.DEVICE, defaultValue = "auto")
  private String device;

  /**
   * {@code adam} (the notebook) or {@code sgd} (with Nesterov momentum). Unset: the network's
   * recipe (each network's value: docs/training.md).
   */
  @Parameter(property = Properties.OPTIMIZER)
  private String optimizer;

  /**
   * SGD's momentum; refused with Adam. Unset: the network's recipe (each network's value:
   * docs/training.md).
   */
  @Parameter(property = Properties.MOMENTUM)
  private Float momentum;

  /**
   * L2 weight decay (both optimizers). Unset: the network's recipe (each network's value:
   * docs/training.md).
   */
  @Parameter(property = Properties.WEIGHT_DECAY)
  private Float weightDecay;

  /**
   * The learning rate after warm-up: {@code constant}, {@code linear} or {@code cosine} decay to
   * {@code cifar.decayTo} times the peak. Unset: the network's recipe (each network's value:
   * docs/training.md).
   */
  @Parameter(property = Properties.SCHEDULE)
  private String schedule;

  /**
   * Epochs of linear learning-rate warm-up from {@code cifar.warmupFrom} times the peak (may be
   * fractional). Unset: the network's recipe (each network's value: docs/training.md).
   */
  @Parameter(property = Properties.WARMUP_EPOCHS)
  private Float warmupEpochs;

  /**
   * The learning rate the warm-up starts from, as a fraction of the peak, in [0, 1]. Unset: the
   * network's recipe (each network's value: docs/training.md).
   */
  @Parameter(property = Properties.WARMUP_FROM)
  private Float warmupFrom;

  /**
   * The learning rate a linear or cosine decay ends at on the last step, as a fraction of the peak,
   * in [0, 1]. Unset: the network's recipe (each network's value: docs/training.md).
   */
  @Parameter(property = Properties.DECAY_TO)
  private Float decayTo;

  /**
   * Label smoothing of the cross-entropy, in [0, 1). Unset: the network's recipe (each network's
   * value: docs/training.md).
   */
  @Parameter(property = Properties.LABEL_SMOOTHING)
  private Float labelSmoothing;

  /**
   * Augmentation of training batches, comma-separated: {@code flip} (random) or {@code altflip}
   * (alternating: each image the other way round every epoch), {@code crop} (up to 4 pixels, zero
   * padding) or {@code translate} (up to 2 pixels, reflected edges), {@code cutout}; or {@code
   * none}. Unset: the network's recipe (each network's value: docs/training.md).
   */
  @Parameter(property = Properties.AUGMENT)
  private String augment;

  /**
   * Test-time augmentation, the views whose logits are averaged in the evaluation and, recorded in
   * the artifact, in serving: {@code none}, {@code flip} (each image and its mirror) or {@code
   * flip,translate} (also both moved by one pixel, 6 passes per image). Unset: the network's recipe
   * (each network's value: docs/training.md). Evaluations after each epoch use at most {@code
   * flip}; the final one uses this.
   */
  @Parameter(property = Properties.TTA)
  private String tta;

  /**
   * Decay of an exponential moving average of the weights, updated every step, that is evaluated
   * and shipped instead of the last weights (e.g. 0.99); 0 keeps none.
   */
  @Parameter(property = Properties.EMA, defaultValue = "0")
  private float ema;

  /**
   * airbench's lookahead averaging of the weights: every 5 steps an average takes in the weights,
   * with a decay rising from 0 to 0.77 over the run, and training goes on from the average, which
   * is what is evaluated and shipped. Unset: the network's recipe (each network's value:
   * docs/training.md).
   */
  @Parameter(property = Properties.LOOKAHEAD)
  private Boolean lookahead;

  /**
   * The arithmetic of the convolutions on the CPU: {@code float32}, or {@code bfloat16}
   * (convolutions and their gradients computed in bfloat16 with float32 sums; weights, batch norm
   * and the optimizer stay float32), which CPUs with AMX compute faster. The log and the artifact
   * say what the CPU really did. Unset: the network's recipe (each network's value:
   * docs/training.md).
   */
  @Parameter(property = Properties.PRECISION)
  private String precision;

  /**
   * Starts from a trained network instead of a fresh one: a model artifact of this project ({@code
   * .zip}: the same classes continue training; other classes get a new classifier head and the rest
   * is fine-tuned) or a TorchScript file saved with {@code torch.jit.save} (fine-tuned with a new
   * linear head; declare its {@code cifar.inputSize}, {@code cifar.mean} and {@code cifar.std}).
   */
  @Parameter(property = Properties.PRETRAINED)
  private File pretrained;

  /** Epochs during which only the new classifier head of a pretrained network learns. */
  @Parameter(property = Properties.FREEZE_EPOCHS, defaultValue = "0")
  private int freezeEpochs;

  /**
   * Side of the square images a TorchScript network takes; batches are resized to it on the device.
   */
  @Parameter(property = Properties.INPUT_SIZE, defaultValue = "32")
  private int inputSize;

  /**
   * Per-channel input means on [0, 1] of a TorchScript network, comma-separated (e.g. {@code
   * 0.485,0.456,0.406}).
   */
  @Parameter(property = Properties.MEAN)
  private String mean;

  /** Per-channel input standard deviations on [0, 1] of a TorchScript network, comma-separated. */
  @Parameter(property = Properties.STD)
  private String std;

  /**
   * Stops when the dev cross-entropy has not improved for this many epochs; 0 never stops early.
   */
  @Parameter(property = Properties.PATIENCE, defaultValue = "0")
  private int patience;

  /**
   * Ships the weights of the epoch with the lowest dev cross-entropy, not those of the last epoch.
   */
  @Parameter(property = Properties.KEEP_BEST, defaultValue = "true")
  private boolean keepBest;

  /** Images held out of the training batches for the dev split. */
  @Parameter(property = Properties.DEV_SIZE, defaultValue = "" + TrainingConfig.DEFAULT_DEV_SIZE)
  private int devSize;

  /** Images to train on; {@code -1} takes all that the dev split leaves. */
  @Parameter(property = Properties.TRAIN_SIZE, defaultValue = "-1")
  private int trainSize;

  /**
   * The artifact to write. Defaults to {@code
   * ${project.build.directory}/cifar/cifar10-<network>.zip}.
   */
  @Parameter(property = Properties.OUTPUT)
  private File output;

  /**
   * Continues from the checkpoint of the last completed epoch (in {@code checkpoints}) instead of
   * starting over; with a larger {@code cifar.epochs} it trains a finished run further, the
   * recipe's schedule re-planned over the new total from the resumed step on.
   */
  @Parameter(property = Properties.RESUME, defaultValue = "false")
  private boolean resume;

  /**
   * Where a checkpoint is written after every epoch. Defaults to {@code
   * ${project.build.directory}/cifar/checkpoints/<network>}.
   */
  @Parameter(property = Properties.CHECKPOINTS)
  private File checkpoints;

  /** The HTML report. Defaults to {@code ${project.build.directory}/cifar/report.html}. */
  @Parameter(property = Properties.REPORT)
  private File report;

  /**
   * Attaches the artifact to the project (type {@code zip}, classifier {@code model}) for install
   * and deploy.
   */
  @Parameter(property = Properties.ATTACH, defaultValue = "true")
  private boolean attach;

  @Component private MavenProjectHelper projectHelper;

  /**
   * Export formats to write after training, comma-separated: {@code onnx} writes the artifact's
   * ONNX model beside it ({@code .zip} replaced by {@code .onnx}) and attaches it (type and
   * classifier {@code onnx}), as {@code cifar:export} does. Unset: none.
   */
  @Parameter(property = Properties.EXPORT)
  private String export;

  /**
   * Trains in a JVM of its own, started with {@code MALLOC_ARENA_MAX=1} (unless the environment
   * sets it), whose log lines, progress and errors come to this build as they would from the
   * build's JVM; {@code false} trains in the build's JVM. The build's JVM cannot give libtorch's
   * largest blocks glibc's main arena, which cost the {@code fast} network about a sixth of its
   * speed in the runs measured (docs/training.md, "The training JVM").
   */
  @Parameter(property = Properties.FORK, defaultValue = "true")
  private boolean fork;

  @Parameter(defaultValue = "${plugin.artifacts}", readonly = true, required = true)
  private List<Artifact> pluginArtifacts;

  @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
  private PluginDescriptor plugin;

  @Component private RepositorySystem repositories;

  /** Trains even when the artifact is up to date with the inputs' fingerprint. */
  @Parameter(property = Properties.FORCE, defaultValue = "false")
  private boolean force;

  @Override
  public void execute() throws MojoExecutionException {
    if (!shouldRun("train")) {
      return;
    }
    try {
      Map<String, String> options = new LinkedHashMap<>();
      BiConsumer<String, Object> option =
          (name, value) -> {
            if (value != null) {
              options.put(name, value.toString());
            }
          };
      option.accept(Properties.NETWORK, network);
      option.accept(Properties.EPOCHS, epochs);
      option.accept(Properties.BATCH_SIZE, batchSize);
      option.accept(Properties.LEARNING_RATE, learningRate);
      option.accept(Properties.OPTIMIZER, optimizer);
      option.accept(Properties.MOMENTUM, momentum);
      option.accept(Properties.WEIGHT_DECAY, weightDecay);
      option.accept(Properties.SCHEDULE, schedule);
      option.accept(Properties.WARMUP_EPOCHS, warmupEpochs);
      option.accept(Properties.WARMUP_FROM, warmupFrom);
      option.accept(Properties.DECAY_TO, decayTo);
      option.accept(Properties.LABEL_SMOOTHING, labelSmoothing);
      option.accept(Properties.AUGMENT, augment);
      option.accept(Properties.TTA, tta);
      option.accept(Properties.EMA, ema);
      option.accept(Properties.LOOKAHEAD, lookahead);
      option.accept(Properties.PRECISION, precision);
      option.accept(Properties.PATIENCE, patience);
      option.accept(Properties.KEEP_BEST, keepBest);
      option.accept(Properties.PRETRAINED, pretrained);
      option.accept(Properties.FREEZE_EPOCHS, freezeEpochs);
      option.accept(Properties.INPUT_SIZE, inputSize);
      option.accept(Properties.MEAN, mean);
      option.accept(Properties.STD, std);
      option.accept(Properties.SEED, seed);
      option.accept(Properties.DEVICE, device);
      option.accept(Properties.DEV_SIZE, devSize);
      option.accept(Properties.TRAIN_SIZE, trainSize);
      TrainJob.Builder job = TrainJob.builder().setOptions(options);
      Path target = output != null ? output.toPath() : defaultArtifact(job.network());
      Path reportFile = report != null ? report.toPath() : cifarDirectory().resolve("report.html");
      MavenProgress progress =
          new MavenProgress(getLog(), session.getRequest().isInteractiveMode());
      job.setData(dataDirectory(progress::onInfo))
          .setArtifact(target)
          .setReport(reportFile)
          .optCheckpoints(
              checkpoints != null
                  ? checkpoints.toPath()
                  : cifarDirectory().resolve("checkpoints").resolve(job.network()))
          .optResume(resume)
          .optForce(force)
          .optFork(
              fork
                  ? TrainingJvm.of(
                      TrainingClasspath.of(plugin, pluginArtifacts, repositories, session, project))
                  : null)
          .optListener(progress)
          .build()
          .run();
      attach(target);
      if (OnnxExport.asksForOnnx(export)) {
        exportOnnx(target, OnnxExport.beside(target), projectHelper, attach);
      }
    } catch (CifarException e) {
      throw new MojoExecutionException("cifar:train failed: " + e.getMessage(), e);
    }
  }

  private void attach(Path target) {
    if (attach) {
      projectHelper.attachArtifact(project, "zip", "model", target.toFile());
    }
  }
}
