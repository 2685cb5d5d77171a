package dev.cifar.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Dockerfile under {@code deploy/container/}: it copies only files the repository holds or
 * the build produces (and its {@code .dockerignore} lets through), exposes and health-checks the
 * function's port and readiness path, runs as a non-root user, keeps DJL offline with its cache
 * inside the image, and names the versions the project builds with.
 */
class DockerfilesTest {

  private static final Pattern ABSOLUTE = Pattern.compile("(?<![\\w=.-])(/[A-Za-z0-9._/-]+)");

  private final FunctionConfig config = FunctionConfig.load();

  static List<Path> dockerfiles() {
    List<Path> files = Repository.deployFiles(".Dockerfile");
    assertThat(files).as("Dockerfiles under deploy/container/").isNotEmpty();
    return files;
  }

  @ParameterizedTest
  @MethodSource("dockerfiles")
  void copiesOnlyWhatTheRepositoryOrTheBuildHolds(Path file) {
    Dockerfile d = Dockerfile.parse(file);
    List<String> ignore = ignoreFile(file);
    List<String> notBuilt = new ArrayList<>();
    Set<String> stageNames = new HashSet<>();
    for (Dockerfile.Stage stage : d.stages) {
      for (Dockerfile.Instruction i :
          Stream.concat(stage.all("COPY").stream(), stage.all("ADD").stream()).toList()) {
        Dockerfile.Copy copy = Dockerfile.copy(i.args());
        if (copy.from() != null) {
          assertThat(stageNames)
              .as(d.where(i) + " --from names an earlier stage")
              .contains(copy.from());
          continue;
        }
        for (String source : copy.sources()) {
          assertThat(ignore.stream().anyMatch(allowed -> covers(allowed, source)))
              .as(
                  d.where(i)
                      + " "
                      + source
                      + " is let through by "
                      + Repository.name(ignoreOf(file)))
              .isTrue();
          if (source.contains("/target/")
              && !Files.isDirectory(Repository.ROOT.resolve(buildDir(source)))) {
            notBuilt.add(source);
            continue;
          }
          assertThat(matches(source))
              .as(d.where(i) + " " + source + " exists in the build context")
              .isPositive();
        }
      }
      if (stage.name != null) {
        stageNames.add(stage.name);
      }
    }
    assumeTrue(
        notBuilt.isEmpty(),
        () ->
            Repository.name(file)
                + " copies "
                + notBuilt
                + ", not built yet (mvn install; native-sources: see deploy/README.md): those sources skipped");
  }

  @ParameterizedTest
  @MethodSource("dockerfiles")
  void exposesAndChecksTheFunctionOrTrainsAsNonRoot(Path file) {
    Dockerfile d = Dockerfile.parse(file);
    Dockerfile.Stage image = d.image();
    List<Dockerfile.Instruction> users = image.all("USER");
    assertThat(users).as(Repository.name(file) + " final stage sets USER").isNotEmpty();
    String user = users.get(users.size() - 1).args().split(":")[0];
    assertThat(user).as(d.where(users.get(users.size() - 1))).isNotIn("root", "0");
    if (!isFunction(file)) {
      assertThat(image.all("EXPOSE"))
          .as(Repository.name(file) + " trains: nothing to expose")
          .isEmpty();
      return;
    }
    Set<String> exposed =
        image.all("EXPOSE").stream()
            .flatMap(i -> Stream.of(i.args().split("\\s+")))
            .map(p -> p.replace("/tcp", ""))
            .collect(Collectors.toSet());
    assertThat(exposed)
        .as(Repository.name(file) + " EXPOSE")
        .containsExactly(String.valueOf(config.port()));
    List<Dockerfile.Instruction> health = image.all("HEALTHCHECK");
    assertThat(health).as(Repository.name(file) + " HEALTHCHECK").hasSize(1);
    String command =
        health.get(0).args().substring(health.get(0).args().indexOf("CMD") + 3).strip();
    assertThat(parseExecForm(command))
        .as(d.where(health.get(0)) + " asks for the readiness path")
        .contains(config.readiness());
  }

  @ParameterizedTest
  @MethodSource("dockerfiles")
  void keepsDjlOfflineWithItsCacheInTheImage(Path file) {
    Dockerfile.Stage image = Dockerfile.parse(file).image();
    String name = Repository.name(file) + " final stage ENV ";
    assertThat(image.env).as(name + "DJL_OFFLINE").containsEntry("DJL_OFFLINE", "true");
    assertThat(image.env).as(name + "OPT_OUT_TRACKING").containsEntry("OPT_OUT_TRACKING", "true");
    assertThat(image.env.get("DJL_CACHE_DIR"))
        .as(name + "DJL_CACHE_DIR")
        .isNotNull()
        .startsWith("/");
    for (String env : image.envOnly.keySet()) {
      assertThat(FunctionConfig.isRead(env))
          .as(name + env + " is read by the function, training, DJL or the JVM")
          .isTrue();
    }
    String device = image.env.get(FunctionConfig.env("cifar.device"));
    if (device != null) {
      dev.cifar.engine.DeviceChoice.parse(device);
    }
  }

  @ParameterizedTest
  @MethodSource("dockerfiles")
  void namesTheVersionsTheProjectBuildsWith(Path file) {
    Dockerfile d = Dockerfile.parse(file);
    assertThat(
            d.globalArgs.getOrDefault(
                "PYTORCH_VERSION", Repository.rootPomProperty("pytorch.version")))
        .as(Repository.name(file) + " ARG PYTORCH_VERSION")
        .isEqualTo(Repository.rootPomProperty("pytorch.version"));
    assertThat(d.globalArgs.getOrDefault("DJL_VERSION", Repository.rootPomProperty("djl.version")))
        .as(Repository.name(file) + " ARG DJL_VERSION")
        .isEqualTo(Repository.rootPomProperty("djl.version"));
    String libtorch = d.image().env.get("PYTORCH_LIBRARY_PATH");
    if (libtorch != null) {
      assertThat(libtorch)
          .as(Repository.name(file) + " PYTORCH_LIBRARY_PATH is where DJL caches that libtorch")
          .isEqualTo(
              d.image().env.get("DJL_CACHE_DIR")
                  + "/pytorch/"
                  + d.image().env.get("PYTORCH_VERSION")
                  + "-"
                  + d.image().env.get("PYTORCH_FLAVOR")
                  + "-linux-x86_64");
    }
  }

  @ParameterizedTest
  @MethodSource("dockerfiles")
  void runsWhatItCopiedIntoTheImage(Path file) {
    Dockerfile d = Dockerfile.parse(file);
    Dockerfile.Stage image = d.image();
    List<Dockerfile.Copy> copies =
        image.all("COPY").stream()
            .map(i -> Dockerfile.copy(i.args()))
            .filter(c -> c.from() == null)
            .toList();
    for (Dockerfile.Instruction i : image.instructions) {
      if (!Set.of("ENTRYPOINT", "CMD", "HEALTHCHECK", "RUN").contains(i.keyword())) {
        continue;
      }
      Matcher m = ABSOLUTE.matcher(i.args());
      while (m.find()) {
        String path = m.group(1);
        for (Dockerfile.Copy copy : copies) {
          if (copy.destination().endsWith("/") && path.startsWith(copy.destination())) {
            assertThat(provides(copy, path.substring(copy.destination().length())))
                .as(d.where(i) + " uses " + path + ", which " + copy.sources() + " must provide")
                .isTrue();
          }
        }
      }
      if (i.keyword().equals("ENTRYPOINT") || i.keyword().equals("CMD")) {
        assertThat(PluginProperties.names())
            .as(d.where(i) + " sets only cifar:train parameters")
            .containsAll(PluginProperties.used(i.args()));
      }
    }
  }

  private static boolean provides(Dockerfile.Copy copy, String rest) {
    for (String source : copy.sources()) {
      Path from = Repository.ROOT.resolve(source);
      if (source.contains("/target/")
          && !Files.isDirectory(Repository.ROOT.resolve(buildDir(source)))) {
        return true;
      }
      if (Files.isDirectory(from)
          ? Files.exists(from.resolve(rest))
          : from.getFileName().toString().equals(rest)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void gpuImagesRunCuda128WithDjlsCudaLibtorch() {
    List<Path> gpu =
        dockerfiles().stream().filter(f -> f.getFileName().toString().contains("gpu")).toList();
    assertThat(gpu).as("GPU Dockerfiles").hasSize(2);
    for (Path file : gpu) {
      Dockerfile.Stage image = Dockerfile.parse(file).image();
      assertThat(image.from)
          .as(Repository.name(file) + " final FROM")
          .startsWith("nvidia/cuda:12.8.");
      assertThat(image.env)
          .as(Repository.name(file) + " ENV PYTORCH_FLAVOR")
          .containsEntry("PYTORCH_FLAVOR", "cu128");
      assertThat(image.env.get("PYTORCH_LIBRARY_PATH"))
          .as(
              Repository.name(file)
                  + " ENV PYTORCH_LIBRARY_PATH "
                  + "(with pytorch-native-cpu on the class path DJL would otherwise load the CPU libtorch)")
          .isNotNull();
    }
  }

  @Test
  void nativeBuilderMatchesTheMandrelQuarkusPrepared() {
    Path version =
        Repository.buildOutput(
            "function/target/native-sources/graalvm.version",
            "mvn -pl function -am package -Dnative -Dquarkus.native.sources-only=true -DskipTests");
    String major = Repository.read(version).strip().split("\\.")[0];
    Dockerfile d =
        Dockerfile.parse(Repository.DEPLOY.resolve("container/function-native.Dockerfile"));
    assertThat(d.stages.get(0).from)
        .as(Repository.name(d.file) + " builder image for Mandrel " + major)
        .contains("mandrel")
        .endsWith("jdk-" + major);
  }

  private static List<String> parseExecForm(String json) {
    try {
      return List.of(
          new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, String[].class));
    } catch (IOException e) {
      throw new AssertionError("not an exec-form command: " + json, e);
    }
  }

  private static boolean isFunction(Path file) {
    return file.getFileName().toString().startsWith("function-");
  }

  private static Path ignoreOf(Path dockerfile) {
    return dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
  }

  private static List<String> ignoreFile(Path dockerfile) {
    Path ignore = ignoreOf(dockerfile);
    assertThat(ignore).as("every Dockerfile has its own .dockerignore").exists();
    List<String> lines =
        Repository.read(ignore)
            .lines()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    assertThat(lines)
        .as(Repository.name(ignore) + " starts by leaving everything out")
        .startsWith("*");
    return lines.stream().filter(l -> l.startsWith("!")).map(l -> l.substring(1)).toList();
  }

  private static boolean covers(String allowed, String source) {
    String s = source.replaceAll("/$", "");
    return s.equals(allowed) || s.startsWith(allowed + "/");
  }

  private static String buildDir(String source) {
    int target = source.indexOf("/target/");
    int next = source.indexOf('/', target + "/target/".length());
    return next < 0 ? source : source.substring(0, next);
  }

  private static long matches(String source) {
    String s = source.replaceAll("/$", "");
    int slash = s.lastIndexOf('/');
    Path dir = Repository.ROOT.resolve(slash < 0 ? "." : s.substring(0, slash));
    if (!s.contains("*")) {
      return Files.exists(Repository.ROOT.resolve(s)) ? 1 : 0;
    }
    PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + s.substring(slash + 1));
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> glob.matches(f.getFileName())).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
