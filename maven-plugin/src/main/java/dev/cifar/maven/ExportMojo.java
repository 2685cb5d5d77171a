package dev.cifar.maven;

import dev.cifar.CifarException;
import dev.cifar.export.OnnxExport;
import java.io.File;
import java.nio.file.Path;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Writes a model artifact as ONNX: one graph from uint8 pixels {@code [N,3,32,32]} in CIFAR order
 * to the probabilities {@code [N, classes]}, with the normalisation and the recorded test-time
 * augmentation inside and the class names, checksum and serving spec in its metadata (operator set
 * 17); attaches it to the project (type and classifier {@code onnx}). Typed on the command line in
 * a multi-module build, it runs once, in the project the build was started from.
 */
@Mojo(name = "export", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true)
public final class ExportMojo extends AbstractCifarMojo {

  /**
   * The model artifact to export. Defaults to {@code
   * ${project.build.directory}/cifar/cifar10-<network>.zip}, where {@code cifar:train} writes it.
   */
  @Parameter(property = Properties.MODEL)
  private File model;

  /**
   * The ONNX file to write. Defaults to the artifact's path with {@code .onnx} for {@code .zip}.
   */
  @Parameter(property = Properties.EXPORT_OUTPUT)
  private File exportOutput;

  /** Attaches the ONNX model to the project (type and classifier {@code onnx}). */
  @Parameter(property = Properties.ATTACH, defaultValue = "true")
  private boolean attach;

  @Component private MavenProjectHelper projectHelper;

  @Override
  public void execute() throws MojoExecutionException {
    if (!shouldRun("export")) {
      return;
    }
    Path artifact = modelArtifact(model);
    Path target = exportOutput != null ? exportOutput.toPath() : OnnxExport.beside(artifact);
    try {
      exportOnnx(artifact, target, projectHelper, attach);
    } catch (CifarException e) {
      throw new MojoExecutionException("cifar:export failed: " + e.getMessage(), e);
    }
  }
}
