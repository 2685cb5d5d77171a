package dev.cifar.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cifar.engine.DeviceChoice;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CPU function as a Knative Service: scale to zero, bounded concurrency, the CPU image. */
class KnativeServiceTest {

  private static final String AUTOSCALING = "autoscaling.knative.dev/";

  static Node service() {
    List<Node> services =
        Manifests.handWritten().stream().filter(KubernetesObjectsTest::isKnative).toList();
    assertThat(services).as("one Knative Service under deploy/kubernetes/").hasSize(1);
    return services.get(0);
  }

  @Test
  void scalesToZeroAndLimitsConcurrency() {
    Node template = service().require("spec.template");
    Map<String, Object> annotations = template.require("metadata.annotations").map();
    String where = template.get("metadata").get("annotations").describe();
    assertThat(annotations).as(where).containsEntry(AUTOSCALING + "min-scale", "0");
    assertThat(Integer.parseInt(String.valueOf(annotations.get(AUTOSCALING + "max-scale"))))
        .as(where + " max-scale")
        .isPositive();
    Node concurrency = template.require("spec.containerConcurrency");
    assertThat(Integer.parseInt(concurrency.text())).as(concurrency.describe()).isPositive();
  }

  @Test
  void runsTheCpuImageOnTheCpu() {
    Node container = GpuFunctionDeploymentTest.functionContainer(service());
    String image = container.require("image").text();
    assertThat(Images.repository(image))
        .as(container.get("image").describe())
        .isEqualTo("cifar-function-cpu");
    assertThat(Images.tag(image))
        .as(container.get("image").describe() + " tag")
        .isEqualTo(Repository.rootPomProperty("project.version"));
    assertThat(Workloads.gpus(container)).as(container.get("resources").describe()).isZero();
    String device = Env.value(container, FunctionConfig.env("cifar.device"));
    assertThat(DeviceChoice.parse(device))
        .as(container.get("env").describe() + " CIFAR_DEVICE")
        .isEqualTo(DeviceChoice.CPU);
    for (Node port : container.require("ports").list()) {
      assertThat(port.require("name").text())
          .as(port.get("name").describe() + " (Knative's protocol names)")
          .isIn("http1", "h2c");
    }
  }
}
