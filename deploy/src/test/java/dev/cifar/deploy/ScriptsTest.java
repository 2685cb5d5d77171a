package dev.cifar.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The images' shell scripts: valid bash, and the health check and warm-up doing what the images
 * rely on, against a local stand-in for the function.
 */
class ScriptsTest {

  private static final Path HEALTHCHECK = Repository.DEPLOY.resolve("container/healthcheck.sh");
  private static final Path WARM_UP = Repository.DEPLOY.resolve("container/warm-up.sh");

  static List<Path> scripts() {
    return Repository.deployFiles(".sh");
  }

  @ParameterizedTest
  @MethodSource("scripts")
  void isValidBashAndExecutable(Path script) throws Exception {
    assertThat(script.toFile().canExecute())
        .as(Repository.name(script) + " is executable (COPY keeps the mode)")
        .isTrue();
    Process p =
        new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(Repository.name(script) + " bash -n: " + out).isZero();
  }

  @Test
  void healthCheckSucceedsOnlyOn200() throws Exception {
    FunctionConfig config = FunctionConfig.load();
    HttpServer server = standIn(config.readiness(), 200);
    server.createContext(
        config.liveness(),
        x -> {
          x.sendResponseHeaders(503, -1);
          x.close();
        });
    server.start();
    try {
      String port = String.valueOf(server.getAddress().getPort());
      assertThat(run(port, HEALTHCHECK.toString(), config.readiness()))
          .as("200 on readiness")
          .isZero();
      assertThat(run(port, HEALTHCHECK.toString(), config.liveness())).as("503").isNotZero();
      assertThat(run(port, HEALTHCHECK.toString(), "/nothing")).as("404").isNotZero();
    } finally {
      server.stop(0);
    }
    assertThat(run("1", HEALTHCHECK.toString(), config.readiness()))
        .as("nothing listening")
        .isNotZero();
  }

  @Test
  void warmUpWaitsForReadinessAndStopsTheFunction() throws Exception {
    FunctionConfig config = FunctionConfig.load();
    HttpServer server = standIn(config.readiness(), 200);
    server.start();
    try {
      String port = String.valueOf(server.getAddress().getPort());
      assertThat(run(port, WARM_UP.toString(), "sleep", "300"))
          .as("ready: the warm-up stops its command")
          .isZero();
    } finally {
      server.stop(0);
    }
    assertThat(run("1", WARM_UP.toString(), "false"))
        .as("a command that dies fails the warm-up")
        .isNotZero();
  }

  private static HttpServer standIn(String path, int status) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        path,
        x -> {
          byte[] body = "{\"status\": \"UP\"}".getBytes();
          x.sendResponseHeaders(status, body.length);
          x.getResponseBody().write(body);
          x.close();
        });
    return server;
  }

  private static int run(String port, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("QUARKUS_HTTP_PORT", port);
    pb.environment().put("WARM_UP_SECONDS", "10");
    Process p = pb.start();
    p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command) + " ends").isTrue();
    return p.exitValue();
  }
}
