package dev.cifar.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every health, metrics or OpenAPI path written anywhere in the deployment (Dockerfiles, scripts,
 * manifests, the SAM template, the README) is one the function serves.
 */
class ManagementPathsTest {

  private static final Pattern PATH = Pattern.compile("/q/[A-Za-z0-9/_-]*[A-Za-z0-9]");

  @Test
  void everyManagementPathIsServed() {
    FunctionConfig config = FunctionConfig.load();
    List<Path> files = new ArrayList<>(Repository.deployFiles());
    files.add(Repository.ROOT.resolve("function/src/main/kubernetes/kubernetes.yml"));
    int seen = 0;
    for (Path file : files) {
      Matcher m = PATH.matcher(Repository.read(file));
      while (m.find()) {
        seen++;
        assertThat(config.managementPaths())
            .as(Repository.name(file) + " names " + m.group())
            .contains(m.group());
      }
    }
    assertThat(seen).as("health paths named in deploy/").isPositive();
  }
}
