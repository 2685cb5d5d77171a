package dev.cifar.function;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.cifar.testing.TrainedModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the packaged application with broken models: it must refuse to start, saying why in one
 * line, and never serve a wrong model.
 */
class BadModelStartupIT {

  @TempDir static Path tmp;

  private static Path good;

  @BeforeAll
  static void model() {
    good = TrainedModels.writeSynthetic(tmp.resolve("good.zip"));
  }

  @Test
  void aTruncatedArtifactIsRefused() throws Exception {
    byte[] bytes = Files.readAllBytes(good);
    Path file = Files.write(tmp.resolve("truncated.zip"), Arrays.copyOf(bytes, bytes.length / 2));
    assertRefused(file, "Cannot start: Model artifact " + file + " is not a valid zip");
  }

  @Test
  void aCorruptedFileIsRefused() throws Exception {
    Path file = Files.writeString(tmp.resolve("corrupt.zip"), "this is not a model");
    assertRefused(file, "it is not a model artifact of this project, or it is incomplete");
  }

  @Test
  void aChecksumMismatchIsRefused() throws Exception {
    Path file =
        rewrite(
            "tampered.zip",
            entries -> {
              byte[] params = entries.get("parameters.params");
              params[params.length - 9] ^= 0x10;
              return entries;
            });
    assertRefused(file, "checksum mismatch");
  }

  @Test
  void aModelForAnotherNetworkIsRefused() throws Exception {
    Path file =
        rewriteJson(
            "other-network.zip",
            json -> json.getAsJsonObject("serving").addProperty("network", "vgg16"));
    assertRefused(file, "is for an unknown network: Unknown network 'vgg16'");
  }

  @Test
  void parametersOfAnotherKnownNetworkAreRefused() throws Exception {
    Path file =
        rewriteJson(
            "resnet-labelled.zip",
            json -> json.getAsJsonObject("serving").addProperty("network", "resnet18"));
    assertRefused(file, "do not fit network 'resnet18' with 10 classes");
  }

  @Test
  void parametersForOtherClassesAreRefused() throws Exception {
    Path file =
        rewriteJson(
            "other-classes.zip",
            json -> {
              var classes = new com.google.gson.JsonArray();
              classes.add("cats");
              classes.add("dogs");
              json.getAsJsonObject("serving").add("classes", classes);
            });
    assertRefused(file, "do not fit network 'seed' with 2 classes");
  }

  @Test
  void aMissingFileIsRefused() throws Exception {
    assertRefused(tmp.resolve("absent.zip"), "does not exist");
  }

  private static void assertRefused(Path model, String reason) throws Exception {
    Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
    assertThat(jar).as("the packaged application").exists();
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=0",
                "-jar",
                jar.toString())
            .redirectErrorStream(true);
    Path log = Files.createTempFile(tmp, "startup", ".log");
    pb.redirectOutput(log.toFile());
    pb.environment().put("CIFAR_MODEL", model.toString());
    Process process = pb.start();
    boolean exited = process.waitFor(60, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(exited).as("the application exits, refusing the model: " + output).isTrue();
    assertThat(process.exitValue()).as(output).isNotZero();
    assertThat(output).as(output).contains(reason).doesNotContain("Listening on");
    assertThat(output.lines().filter(l -> l.contains("ERROR") && l.contains("Cannot start: ")))
        .as(output)
        .hasSize(1);
  }

  private static Path rewriteJson(String name, java.util.function.Consumer<JsonObject> change)
      throws IOException {
    return rewrite(
        name,
        entries -> {
          JsonObject json =
              JsonParser.parseString(new String(entries.get("model.json"), StandardCharsets.UTF_8))
                  .getAsJsonObject();
          change.accept(json);
          entries.put("model.json", json.toString().getBytes(StandardCharsets.UTF_8));
          return entries;
        });
  }

  private static Path rewrite(String name, UnaryOperator<Map<String, byte[]>> change)
      throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(good))) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        entries.put(e.getName(), zip.readAllBytes());
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (var e : change.apply(entries).entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return Files.write(tmp.resolve(name), bytes.toByteArray());
  }
}
