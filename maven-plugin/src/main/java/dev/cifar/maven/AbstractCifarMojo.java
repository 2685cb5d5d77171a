package dev.cifar.maven;

import dev.cifar.CifarException;
import dev.cifar.data.DataLocation;
import dev.cifar.export.OnnxExport;
import dev.cifar.training.TrainingConfig;
import java.io.File;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;

/** The parameters every goal shares: where the data is, which network, and skipping. */
abstract class AbstractCifarMojo extends AbstractMojo {

  /**
   * The CIFAR-10 binary version: the {@code cifar-10-batches-bin} directory or its parent. When
   * unset, the {@code CIFAR10_HOME} environment variable, else the download cache.
   */
  @Parameter(property = Properties.DATA)
  File data;

  /**
   * Where the official archive is downloaded and extracted when no data directory is given.
   * Defaults to {@code CIFAR10_CACHE}, else {@code ~/.cache/cifar10}.
   */
  @Parameter(property = Properties.CACHE)
  File cache;

  /**
   * The network, by name: {@code seed} is the notebook's network, {@code fast} the strong one
   * (airbench94), {@code resnet18} a ResNet-18 for 32x32 images (for a GPU). Unset: {@code seed},
   * or the network of {@code cifar.pretrained}.
   */
  @Parameter(property = Properties.NETWORK)
  String network;

  /** Skips the goal. */
  @Parameter(property = Properties.SKIP, defaultValue = "false")
  boolean skip;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  MavenSession session;

  @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
  MojoExecution mojoExecution;

  /**
   * Tells whether the goal should do its work here, logging why not.
   *
   * @param goal the goal's name for the log
   * @return false when skipped or when a command-line goal runs in another module
   */
  boolean shouldRun(String goal) {
    if (skip) {
      getLog().info("Skipping cifar:" + goal + " (" + Properties.SKIP + ")");
      return false;
    }
    if (!ReactorRoot.runsHere(session, project, mojoExecution)) {
      getLog()
          .debug(
              "cifar:"
                  + goal
                  + " from the command line runs once, in "
                  + ReactorRoot.of(session).getName());
      return false;
    }
    return true;
  }

  /**
   * Returns the artifact path used when none is configured.
   *
   * @return {@code ${project.build.directory}/cifar/cifar10-<network>.zip}
   */
  Path defaultArtifact(String networkName) {
    return cifarDirectory().resolve("cifar10-" + networkName + ".zip");
  }

  /**
   * Returns the directory for the goals' outputs.
   *
   * @return {@code ${project.build.directory}/cifar}
   */
  Path cifarDirectory() {
    return Path.of(project.getBuild().getDirectory(), "cifar");
  }

  /**
   * Finds the data directory, downloading into the cache when nothing is configured.
   *
   * @param progress receives download steps
   * @return the batches directory
   */
  Path dataDirectory(Consumer<String> progress) {
    return DataLocation.resolve(
        data == null ? null : data.toPath(), cache == null ? null : cache.toPath(), progress);
  }

  /** Logs a classifier's evaluation table. */
  void logTable(java.util.List<String> lines) {
    lines.forEach(getLog()::info);
  }

  /**
   * Returns the artifact a goal works on.
   *
   * @param model the configured artifact, or {@code null}
   * @return it, or the default artifact of the configured (else the default) network
   */
  Path modelArtifact(File model) {
    return model != null
        ? model.toPath()
        : defaultArtifact(network != null ? network : TrainingConfig.DEFAULT_NETWORK);
  }

  /**
   * Writes an artifact's ONNX model beside it and into it, and attaches the file to the project
   * (type and classifier {@code onnx}).
   *
   * @param artifactFile the artifact
   * @param target the {@code .onnx} file
   * @param projectHelper attaches it
   * @param attach whether to attach it
   * @throws CifarException when the artifact cannot be read or exported
   */
  void exportOnnx(
      Path artifactFile, Path target, MavenProjectHelper projectHelper, boolean attach) {
    long start = System.nanoTime();
    OnnxExport.write(artifactFile, target);
    getLog()
        .info(
            String.format(
                java.util.Locale.ROOT,
                "cifar:export %s -> %s (ONNX opset %d, %,d bytes) in %.1f s",
                artifactFile.getFileName(),
                target,
                dev.cifar.onnx.OnnxGraph.OPSET,
                target.toFile().length(),
                (System.nanoTime() - start) / 1e9));
    if (attach) {
      projectHelper.attachArtifact(project, OnnxExport.FORMAT, OnnxExport.FORMAT, target.toFile());
    }
  }
}
