package dev.cifar.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cifar.engine.DeviceChoice;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Checks shared by every pod template: containers, volumes, environment and probes. */
final class Workloads {

  /** The extended resource of NVIDIA's device plugin. */
  static final String GPU = "nvidia.com/gpu";

  private Workloads() {}

  /**
   * Tells whether a container runs the function (its image is one of the function's images).
   *
   * @param container a container node
   * @return true for {@code .../cifar-function-*}
   */
  static boolean isFunction(Node container) {
    return Images.repository(container.require("image").text()).startsWith("cifar-function");
  }

  /**
   * Checks a pod spec against the function's configuration and the declared volumes.
   *
   * @param pod {@code spec.template.spec}
   * @param claims the PersistentVolumeClaims declared under deploy/kubernetes/
   * @param config the function's configuration
   */
  static void checkPod(Node pod, Set<String> claims, FunctionConfig config) {
    List<Node> containers = pod.require("containers").list();
    assertThat(containers).as(pod.get("containers").describe()).isNotEmpty();
    Map<String, Node> volumes =
        pod.get("volumes").list().stream()
            .collect(Collectors.toMap(v -> v.require("name").text(), v -> v));
    volumes.values().stream()
        .map(v -> v.get("persistentVolumeClaim"))
        .filter(Node::exists)
        .forEach(
            pvc ->
                assertThat(claims)
                    .as(
                        pvc.get("claimName").describe()
                            + " names a claim declared in deploy/kubernetes/")
                    .contains(pvc.require("claimName").text()));
    for (Node c : containers) {
      c.require("name");
      assertThat(c.require("image").text()).as(c.get("image").describe()).matches(Images.REFERENCE);
      for (Node mount : c.get("volumeMounts").list()) {
        assertThat(volumes)
            .as(mount.get("name").describe() + " names a volume of the pod")
            .containsKey(mount.require("name").text());
      }
      for (Node env : c.get("env").list()) {
        String name = env.require("name").text();
        assertThat(FunctionConfig.isRead(name))
            .as(
                env.get("name").describe()
                    + " = "
                    + name
                    + " is read by the function, training, DJL or the JVM")
            .isTrue();
        if (name.equals(FunctionConfig.env("cifar.device"))) {
          DeviceChoice.parse(env.require("value").text());
        }
      }
      if (isFunction(c)) {
        checkFunctionContainer(c, config);
      }
    }
  }

  private static void checkFunctionContainer(Node c, FunctionConfig config) {
    List<Node> ports = c.require("ports").list();
    for (Node port : ports) {
      assertThat(Integer.parseInt(port.require("containerPort").text()))
          .as(port.get("containerPort").describe() + " is the function's port")
          .isEqualTo(config.port());
    }
    Set<String> portNames =
        ports.stream()
            .map(p -> p.get("name"))
            .filter(Node::exists)
            .map(Node::text)
            .collect(Collectors.toSet());
    assertThat(probePath(c.require("readinessProbe"), config, portNames))
        .as(c.get("readinessProbe").describe())
        .isEqualTo(config.readiness());
    assertThat(probePath(c.require("livenessProbe"), config, portNames))
        .as(c.get("livenessProbe").describe())
        .isEqualTo(config.liveness());
    if (c.get("startupProbe").exists()) {
      assertThat(probePath(c.get("startupProbe"), config, portNames))
          .as(c.get("startupProbe").describe())
          .isEqualTo(config.startup());
    }
  }

  private static String probePath(Node probe, FunctionConfig config, Set<String> portNames) {
    Node get = probe.require("httpGet");
    Node port = get.get("port");
    if (port.exists()) {
      String p = port.text();
      assertThat(p.equals(String.valueOf(config.port())) || portNames.contains(p))
          .as(
              port.describe()
                  + " = "
                  + p
                  + " is the function's port "
                  + config.port()
                  + " or its name")
          .isTrue();
    }
    return get.require("path").text();
  }

  /**
   * Returns the GPUs a container asks for.
   *
   * @param container the container
   * @return its {@code nvidia.com/gpu} limit, 0 when none
   */
  static int gpus(Node container) {
    Object limit = container.get("resources").get("limits").map().get(GPU);
    return limit == null ? 0 : Integer.parseInt(String.valueOf(limit));
  }

  /**
   * Finds the mount that holds a path and returns the claim behind it.
   *
   * @param pod the pod spec
   * @param container the container
   * @param file an absolute path inside the container
   * @return {@code claim + ":" + path relative to the mount}
   * @throws AssertionError when no PVC-backed mount holds the path
   */
  static String onClaim(Node pod, Node container, String file) {
    for (Node mount : container.get("volumeMounts").list()) {
      String at = mount.require("mountPath").text().replaceAll("/$", "");
      if (file.startsWith(at + "/")) {
        String volume = mount.require("name").text();
        Node claim =
            pod.require("volumes").list().stream()
                .filter(v -> volume.equals(v.get("name").value()))
                .findFirst()
                .orElseThrow()
                .require("persistentVolumeClaim.claimName");
        return claim.text() + ":" + file.substring(at.length() + 1);
      }
    }
    throw new AssertionError(container.describe() + ": no volume mounted over " + file);
  }
}
