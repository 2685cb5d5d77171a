package dev.cifar.maven;

import dev.cifar.CifarException;
import dev.cifar.artifact.ModelArtifact;
import dev.cifar.classifier.Classifier;
import dev.cifar.data.AtomicFiles;
import dev.cifar.data.Cifar10Reader;
import dev.cifar.data.DataSets;
import dev.cifar.data.LabeledImages;
import dev.cifar.evaluation.Evaluation;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The quality gate: loads the model artifact, evaluates it on the test batch (or a given batch
 * file), logs accuracy, per-class accuracy and the confusion matrix, writes them as JSON, and fails
 * the build when accuracy is below {@code cifar.minAccuracy} or a class is below {@code
 * cifar.minClassAccuracy}.
 */
@Mojo(name = "evaluate", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public final class EvaluateMojo extends AbstractCifarMojo {

  /**
   * The model artifact to evaluate. Defaults to {@code
   * ${project.build.directory}/cifar/cifar10-<network>.zip}, where {@code cifar:train} writes it.
   */
  @Parameter(property = Properties.MODEL)
  private File model;

  /**
   * A CIFAR-10 binary batch file to evaluate on instead of the data directory's {@code
   * test_batch.bin}.
   */
  @Parameter(property = Properties.EVALUATION_FILE)
  private File evaluationFile;

  /** The build fails when accuracy is below this fraction (0 disables the gate). */
  @Parameter(property = Properties.MIN_ACCURACY, defaultValue = "0")
  private double minAccuracy;

  /** The build fails when any class's accuracy is below this fraction (0 disables it). */
  @Parameter(property = Properties.MIN_CLASS_ACCURACY, defaultValue = "0")
  private double minClassAccuracy;

  /** Where the evaluation is written as JSON. */
  @Parameter(
      property = "cifar.evaluationReport",
      defaultValue = "${project.build.directory}/cifar/evaluation.json")
  private File evaluationReport;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (!shouldRun("evaluate")) {
      return;
    }
    Path artifactFile = modelArtifact(model);
    Evaluation evaluation;
    ModelArtifact artifact;
    String dataset;
    try {
      artifact = ModelArtifact.read(artifactFile);
      LabeledImages images;
      if (evaluationFile != null) {
        images =
            Cifar10Reader.readBatch(
                evaluationFile.toPath(), artifact.metadata().serving().classes());
        dataset = evaluationFile.getAbsolutePath();
      } else {
        Path dir = dataDirectory(getLog()::info);
        images = DataSets.readTestSet(dir, getLog()::warn);
        dataset =
            DataSets.isImageFolders(dir)
                ? dir.resolve("test").toAbsolutePath().toString()
                : dir.resolve("test_batch.bin").toAbsolutePath().toString();
        if (images.size() == 0) {
          throw new MojoExecutionException(
              "cifar:evaluate: "
                  + dir
                  + " has no test images: give it a test/"
                  + " folder of class folders, or set "
                  + Properties.EVALUATION_FILE);
        }
      }
      try (Classifier classifier = Classifier.builder().setArtifact(artifact).build()) {
        evaluation = classifier.evaluate(images);
      }
    } catch (CifarException | IllegalArgumentException e) {
      throw new MojoExecutionException("cifar:evaluate failed: " + e.getMessage(), e);
    }
    getLog()
        .info(
            String.format(
                Locale.ROOT,
                "cifar:evaluate %s on %s: accuracy %.4f on %,d images, loss %.4f",
                artifactFile.getFileName(),
                dataset,
                evaluation.accuracy(),
                evaluation.count(),
                evaluation.loss()));
    logTable(evaluation.toTable());
    writeJson(artifactFile, artifact, dataset, evaluation);
    gate(evaluation);
  }

  private void writeJson(
      Path artifactFile, ModelArtifact artifact, String dataset, Evaluation evaluation)
      throws MojoExecutionException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("model", artifactFile.toAbsolutePath().toString());
    json.put("network", artifact.metadata().serving().network());
    json.put("checksum", artifact.checksum());
    json.put("dataset", dataset);
    json.put("minAccuracy", minAccuracy);
    json.put("minClassAccuracy", minClassAccuracy);
    json.put("evaluation", evaluation);
    try {
      AtomicFiles.writeJson(evaluationReport.toPath(), json);
    } catch (IOException e) {
      throw new MojoExecutionException(
          "Cannot write " + evaluationReport + ": " + e.getMessage(), e);
    }
    getLog().info("Evaluation written to " + evaluationReport.getAbsolutePath());
  }

  private void gate(Evaluation evaluation) throws MojoFailureException {
    List<String> failures = new ArrayList<>();
    if (evaluation.accuracy() < minAccuracy) {
      failures.add(
          String.format(
              Locale.ROOT,
              "accuracy %.4f is below %s %.4f",
              evaluation.accuracy(),
              Properties.MIN_ACCURACY,
              minAccuracy));
    }
    for (int c = 0; c < evaluation.classes().size(); c++) {
      double acc = evaluation.perClassAccuracy()[c];
      if (minClassAccuracy > 0 && Double.isFinite(acc) && acc < minClassAccuracy) {
        failures.add(
            String.format(
                Locale.ROOT,
                "class %s has accuracy %.4f, below %s %.4f",
                evaluation.classes().get(c),
                acc,
                Properties.MIN_CLASS_ACCURACY,
                minClassAccuracy));
      }
    }
    if (!failures.isEmpty()) {
      throw new MojoFailureException("Quality gate failed: " + String.join("; ", failures));
    }
    if (minAccuracy > 0 || minClassAccuracy > 0) {
      getLog().info("Quality gate passed");
    }
  }
}
