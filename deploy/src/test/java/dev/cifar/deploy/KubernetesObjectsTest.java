package dev.cifar.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every Kubernetes and Knative object of the deployment, hand-written under {@code
 * deploy/kubernetes/} and generated into {@code function/target/kubernetes/}: the fields its kind
 * requires, and pods that match the function (port, health paths, environment, volumes).
 */
class KubernetesObjectsTest {

  private static final Map<String, Set<String>> API_VERSIONS =
      Map.of(
          "Deployment", Set.of("apps/v1"),
          "Service", Set.of("v1", "serving.knative.dev/v1"),
          "Job", Set.of("batch/v1"),
          "PersistentVolumeClaim", Set.of("v1"));
  private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

  private final FunctionConfig config = FunctionConfig.load();

  static Set<String> declaredClaims() {
    return Manifests.handWritten().stream()
        .filter(o -> "PersistentVolumeClaim".equals(o.get("kind").value()))
        .map(o -> o.require("metadata.name").text())
        .collect(Collectors.toSet());
  }

  private static boolean isWorkload(Node o) {
    String kind = o.require("kind").text();
    return kind.equals("Deployment") || kind.equals("Job") || isKnative(o);
  }

  static boolean isKnative(Node o) {
    return "serving.knative.dev/v1".equals(o.get("apiVersion").value());
  }

  @Test
  void everyObjectHasTheFieldsItsKindRequires() {
    List<Node> objects = Manifests.all();
    assertThat(objects).isNotEmpty();
    for (Node o : objects) {
      String kind = o.require("kind").text();
      assertThat(API_VERSIONS)
          .as(o.get("kind").describe() + " is a kind this deployment uses")
          .containsKey(kind);
      assertThat(o.require("apiVersion").text())
          .as(o.get("apiVersion").describe())
          .isIn(API_VERSIONS.get(kind));
      assertThat(o.require("metadata.name").text())
          .as(o.get("metadata").get("name").describe())
          .matches(DNS_LABEL);
      if (isWorkload(o)) {
        Manifests.podSpec(o).require("containers");
      }
      switch (kind) {
        case "Deployment" -> {
          Map<String, Object> selector = o.require("spec.selector.matchLabels").map();
          assertThat(o.require("spec.template.metadata.labels").map())
              .as(o.get("spec").get("selector").describe() + " selects the pod template's labels")
              .containsAllEntriesOf(selector);
        }
        case "Job" ->
            assertThat(o.require("spec.template.spec.restartPolicy").text())
                .as(o.get("spec").get("template").get("spec").get("restartPolicy").describe())
                .isIn("Never", "OnFailure");
        case "PersistentVolumeClaim" -> {
          assertThat(o.require("spec.accessModes").list())
              .as(o.get("spec").get("accessModes").describe())
              .isNotEmpty();
          o.require("spec.resources.requests.storage");
        }
        case "Service" -> {
          if (!isKnative(o)) {
            assertThat(o.require("spec.ports").list())
                .as(o.get("spec").get("ports").describe())
                .isNotEmpty();
            o.require("spec.selector");
          }
        }
        default -> throw new AssertionError(kind);
      }
    }
  }

  @Test
  void podsMatchTheFunctionAndTheDeclaredVolumes() {
    Set<String> claims = declaredClaims();
    List<Node> workloads =
        Manifests.all().stream().filter(KubernetesObjectsTest::isWorkload).toList();
    assertThat(workloads).isNotEmpty();
    for (Node w : workloads) {
      Workloads.checkPod(Manifests.podSpec(w), claims, config);
    }
  }

  @Test
  void servicesRouteToTheFunctionsPort() {
    List<Node> objects = Manifests.all();
    for (Node service : objects) {
      if (!"Service".equals(service.get("kind").value()) || isKnative(service)) {
        continue;
      }
      Map<String, Object> selector = service.require("spec.selector").map();
      Node deployment =
          objects.stream()
              .filter(o -> "Deployment".equals(o.get("kind").value()))
              .filter(
                  d ->
                      d.require("spec.template.metadata.labels")
                          .map()
                          .entrySet()
                          .containsAll(selector.entrySet()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new AssertionError(
                          service.get("spec").get("selector").describe()
                              + " selects no Deployment's pods"));
      Set<String> portNames =
          Manifests.podSpec(deployment).require("containers").list().stream()
              .flatMap(c -> c.get("ports").list().stream())
              .map(p -> p.get("name"))
              .filter(Node::exists)
              .map(Node::text)
              .collect(Collectors.toSet());
      for (Node port : service.require("spec.ports").list()) {
        String target =
            port.get("targetPort").exists()
                ? port.get("targetPort").text()
                : port.require("port").text();
        assertThat(target.equals(String.valueOf(config.port())) || portNames.contains(target))
            .as(
                port.get("targetPort").describe()
                    + " = "
                    + target
                    + " is the function's port "
                    + config.port())
            .isTrue();
      }
    }
  }
}
