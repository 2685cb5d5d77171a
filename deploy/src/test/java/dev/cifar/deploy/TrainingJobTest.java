package dev.cifar.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cifar.engine.DeviceChoice;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The training Job: on a GPU node, with the plugin's own parameters, writing the artifact where the
 * GPU function reads it.
 */
class TrainingJobTest {

  private static final Path JOB = Repository.DEPLOY.resolve("kubernetes/training-job.yml");

  static Node job() {
    return Manifests.objects(JOB).stream()
        .filter(o -> "Job".equals(o.get("kind").value()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(Repository.name(JOB) + " has no Job"));
  }

  static Node trainingContainer() {
    List<Node> containers = Manifests.podSpec(job()).require("containers").list();
    assertThat(containers).as(job().where() + " has one container").hasSize(1);
    return containers.get(0);
  }

  static List<String> args(Node container) {
    return container.require("args").list().stream().map(Node::text).toList();
  }

  @Test
  void trainsOnOneGpuWithTheTrainingImage() {
    Node c = trainingContainer();
    assertThat(Workloads.gpus(c))
        .as(c.get("resources").describe() + " limits." + Workloads.GPU)
        .isEqualTo(1);
    assertThat(Images.repository(c.require("image").text()))
        .as(c.get("image").describe())
        .isEqualTo("cifar-training-gpu");
    assertThat(Images.tag(c.require("image").text()))
        .as(c.get("image").describe() + " tag")
        .isEqualTo(Repository.rootPomProperty("project.version"));
    String device = PluginProperties.value(args(c), "cifar.device");
    if (device != null) {
      assertThat(DeviceChoice.parse(device))
          .as(c.get("args").describe() + " cifar.device")
          .isNotNull();
    }
  }

  @Test
  void passesOnlyParametersThePluginHas() {
    Node c = trainingContainer();
    assertThat(PluginProperties.names())
        .as(c.get("args").describe() + " are cifar:train parameters")
        .containsAll(PluginProperties.used(String.join(" ", args(c))));
  }

  @Test
  void writesTheArtifactWhereTheGpuFunctionReadsIt() {
    Node c = trainingContainer();
    String output = PluginProperties.value(args(c), "cifar.output");
    assertThat(output).as(c.get("args").describe() + " sets -Dcifar.output").isNotNull();
    String written = Workloads.onClaim(Manifests.podSpec(job()), c, output);

    Node deployment = GpuFunctionDeploymentTest.gpuFunction(Manifests.generated());
    Node function = GpuFunctionDeploymentTest.functionContainer(deployment);
    String model = Env.value(function, FunctionConfig.env("cifar.model"));
    assertThat(Workloads.onClaim(Manifests.podSpec(deployment), function, model))
        .as("the claim and file the Job writes (" + written + ") are those the function reads")
        .isEqualTo(written);
  }
}
