package dev.cifar.maven;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.component.repository.ComponentDependency;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * The class path of the training JVM that {@code cifar:train} forks: the plugin's artifacts, and
 * the SLF4J API that DJL needs, which Maven keeps out of a plugin's artifacts because it brings its
 * own (SLF4J 1.7 in Maven 3).
 */
final class TrainingClasspath {

  private static final String SLF4J_GROUP = "org.slf4j";
  private static final String SLF4J_API = "slf4j-api";

  private TrainingClasspath() {}

  /**
   * Resolves the class path.
   *
   * @param plugin this plugin, whose descriptor names the SLF4J API version it was built with
   * @param artifacts the plugin's artifacts ({@code ${plugin.artifacts}})
   * @param repositories resolves the SLF4J API
   * @param session the build, for the repository session
   * @param project the project, for its plugin repositories
   * @return the jars, in order
   * @throws MojoExecutionException when the SLF4J API cannot be resolved
   */
  static List<Path> of(
      PluginDescriptor plugin,
      List<Artifact> artifacts,
      RepositorySystem repositories,
      MavenSession session,
      MavenProject project)
      throws MojoExecutionException {
    List<Path> jars = new ArrayList<>();
    boolean slf4j = false;
    for (Artifact a : artifacts) {
      jars.add(a.getFile().toPath());
      slf4j |= SLF4J_GROUP.equals(a.getGroupId()) && SLF4J_API.equals(a.getArtifactId());
    }
    if (slf4j) {
      return jars;
    }
    ComponentDependency api =
        plugin.getDependencies().stream()
            .filter(d -> SLF4J_GROUP.equals(d.getGroupId()) && SLF4J_API.equals(d.getArtifactId()))
            .findFirst()
            .orElseThrow(
                () ->
                    new MojoExecutionException(
                        "The plugin's descriptor names no " + SLF4J_GROUP + ":" + SLF4J_API));
    ArtifactRequest request =
        new ArtifactRequest(
            new DefaultArtifact(SLF4J_GROUP, SLF4J_API, "jar", api.getVersion()),
            project.getRemotePluginRepositories(),
            null);
    try {
      jars.add(
          repositories
              .resolveArtifact(session.getRepositorySession(), request)
              .getArtifact()
              .getFile()
              .toPath());
    } catch (ArtifactResolutionException e) {
      throw new MojoExecutionException(
          "Cannot resolve "
              + request.getArtifact()
              + " for the training JVM: "
              + e.getMessage()
              + " (or train in Maven's JVM: -D"
              + Properties.FORK
              + "=false)",
          e);
    }
    return jars;
  }
}
