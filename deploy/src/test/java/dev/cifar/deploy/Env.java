package dev.cifar.deploy;

/** Environment variables of a container in a manifest. */
final class Env {

  private Env() {}

  /**
   * Returns the literal value of a container's environment variable.
   *
   * @param container the container node
   * @param name the variable
   * @return its {@code value}, or {@code null} when not set
   */
  static String value(Node container, String name) {
    return container.get("env").list().stream()
        .filter(e -> name.equals(e.get("name").value()))
        .map(e -> e.get("value").exists() ? e.get("value").text() : null)
        .findFirst()
        .orElse(null);
  }
}
