package dev.cifar.deploy;

import dev.cifar.data.DataLocation;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the function really listens on and reads, taken from its {@code application.properties} and
 * sources, with Quarkus' defaults where the function leaves a setting unset.
 */
final class FunctionConfig {

  /** The function's configuration file. */
  static final String PROPERTIES = "function/src/main/resources/application.properties";

  private static final String PORT = "quarkus.http.port";
  private static final Pattern CONFIG_PROPERTY =
      Pattern.compile("@ConfigProperty\\(name\\s*=\\s*\"([^\"]+)\"");

  /** Read by the JVM or the shell, not by the application. */
  private static final Set<String> PLATFORM_ENV = Set.of("JAVA_HOME", "JAVA_TOOL_OPTIONS", "PATH");

  private final Properties properties = new Properties();

  private FunctionConfig() {
    try {
      properties.load(new StringReader(Repository.read(PROPERTIES)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads the function's configuration.
   *
   * @return it
   */
  static FunctionConfig load() {
    return new FunctionConfig();
  }

  private String get(String key, String quarkusDefault) {
    return properties.getProperty(key, quarkusDefault).strip();
  }

  /**
   * Returns the HTTP port.
   *
   * @return {@code quarkus.http.port}, Quarkus' default 8080 when unset
   */
  int port() {
    return Integer.parseInt(get(PORT, "8080"));
  }

  private String nonApplication(String path) {
    return "/" + get("quarkus.http.non-application-root-path", "q") + "/" + path;
  }

  private String health(String key, String quarkusDefault) {
    return nonApplication(
        get("quarkus.smallrye-health.root-path", "health") + "/" + get(key, quarkusDefault));
  }

  /**
   * Returns the readiness path: UP only once the model is loaded.
   *
   * @return e.g. {@code /q/health/ready}
   */
  String readiness() {
    return health("quarkus.smallrye-health.readiness-path", "ready");
  }

  /**
   * Returns the liveness path.
   *
   * @return e.g. {@code /q/health/live}
   */
  String liveness() {
    return health("quarkus.smallrye-health.liveness-path", "live");
  }

  /**
   * Returns the startup path.
   *
   * @return e.g. {@code /q/health/started}
   */
  String startup() {
    return health("quarkus.smallrye-health.startup-path", "started");
  }

  /**
   * Returns the Prometheus metrics path.
   *
   * @return e.g. {@code /q/metrics}
   */
  String metrics() {
    return nonApplication(get("quarkus.micrometer.export.prometheus.path", "metrics"));
  }

  /**
   * Returns the OpenAPI document's path.
   *
   * @return e.g. {@code /q/openapi}
   */
  String openApi() {
    return nonApplication(get("quarkus.smallrye-openapi.path", "openapi"));
  }

  /**
   * Returns every path under the non-application root that the function serves.
   *
   * @return the health, metrics and OpenAPI paths
   */
  Set<String> managementPaths() {
    return Set.of(readiness(), liveness(), startup(), metrics(), openApi());
  }

  /**
   * Returns the application's own configuration properties: those in {@code application.properties}
   * and those its sources inject.
   *
   * @return e.g. {@code cifar.model}, {@code cifar.device}
   */
  static Set<String> applicationProperties() {
    Set<String> names = new TreeSet<>();
    Properties p = load().properties;
    p.stringPropertyNames().stream().filter(n -> n.startsWith("cifar.")).forEach(names::add);
    try (Stream<Path> sources = Files.walk(Repository.ROOT.resolve("function/src/main/java"))) {
      sources
          .filter(f -> f.toString().endsWith(".java"))
          .forEach(
              f -> {
                Matcher m = CONFIG_PROPERTY.matcher(Repository.read(f));
                while (m.find()) {
                  names.add(m.group(1));
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return names;
  }

  /**
   * Returns the environment variable that sets a property (MicroProfile Config's rule).
   *
   * @param property e.g. {@code cifar.pool-size}
   * @return e.g. {@code CIFAR_POOL_SIZE}
   */
  static String env(String property) {
    return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }

  /**
   * Tells who reads an environment variable, if anyone: the function's configuration, the data
   * location of training, DJL (its jars contain the name), or the JVM.
   *
   * @param name the variable
   * @return true when something in the image reads it
   */
  static boolean isRead(String name) {
    return applicationProperties().stream().map(FunctionConfig::env).anyMatch(name::equals)
        || name.equals(env(PORT))
        || name.equals(DataLocation.HOME_ENV)
        || name.equals(DataLocation.CACHE_ENV)
        || DjlNames.contains(name)
        || PLATFORM_ENV.contains(name);
  }
}
