package dev.cifar.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/README.md} tells how to build every image the manifests run, with the same command
 * each Dockerfile's header shows, and mentions every file of the deployment.
 */
class DeployReadmeTest {

  private static final Path README = Repository.DEPLOY.resolve("README.md");
  private static final Pattern BUILD =
      Pattern.compile("docker build -f (deploy/container/\\S+\\.Dockerfile) -t (\\S+) \\.");

  static Map<String, String> builds(String text) {
    Map<String, String> images = new HashMap<>();
    Matcher m = BUILD.matcher(text);
    while (m.find()) {
      images.put(m.group(1), m.group(2));
    }
    return images;
  }

  @Test
  void buildsEveryDockerfileAsItsHeaderSays() {
    Map<String, String> readme = builds(Repository.read(README));
    for (Path file : DockerfilesTest.dockerfiles()) {
      String name = Repository.name(file);
      Map<String, String> header = builds(Repository.read(file));
      assertThat(header).as(name + " header shows its docker build command").containsKey(name);
      assertThat(readme)
          .as("deploy/README.md builds " + name + " as its header does")
          .containsEntry(name, header.get(name));
    }
  }

  @Test
  void buildsEveryImageTheManifestsRun() {
    var built = builds(Repository.read(README)).values();
    for (Node object : Manifests.all()) {
      if (!object.get("spec").exists() || !object.get("spec").get("template").exists()) {
        continue;
      }
      for (Node c : Manifests.podSpec(object).require("containers").list()) {
        assertThat(built)
            .as(c.get("image").describe() + " is built by a command in deploy/README.md")
            .contains(Images.normalize(c.require("image").text()));
      }
    }
  }

  @Test
  void mentionsEveryFileAndTheDeviceLogLine() {
    String text = Repository.read(README);
    for (Path file : Repository.deployFiles()) {
      String relative = Repository.DEPLOY.relativize(file).toString();
      if (relative.equals("README.md") || relative.equals("pom.xml")) {
        continue;
      }
      assertThat(text).as("deploy/README.md mentions " + relative).contains(relative);
    }
    assertThat(text).as("deploy/README.md shows how to confirm the GPU").contains("on gpu(0)");
  }
}
