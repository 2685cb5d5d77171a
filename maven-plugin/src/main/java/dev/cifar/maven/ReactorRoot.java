package dev.cifar.maven;

import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.project.MavenProject;

/**
 * Decides where a goal typed on the command line runs in a multi-module build: once, in the project
 * the build was started from (else the first project of the reactor). Goals bound to a lifecycle
 * phase in a POM run wherever they are bound.
 */
final class ReactorRoot {

  private ReactorRoot() {}

  static boolean runsHere(MavenSession session, MavenProject project, MojoExecution execution) {
    boolean fromCommandLine =
        execution.getLifecyclePhase() == null
            || execution.getExecutionId().startsWith("default-cli");
    return !fromCommandLine || of(session).getBasedir().equals(project.getBasedir());
  }

  static MavenProject of(MavenSession session) {
    return session.getProjects().stream()
        .filter(MavenProject::isExecutionRoot)
        .findFirst()
        .orElse(session.getProjects().get(0));
  }
}
