package dev.cifar.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cifar.artifact.ModelArtifact;
import dev.cifar.classifier.Classifier;
import dev.cifar.testing.SyntheticCifar;
import dev.cifar.testing.TrainedModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Renders a report in headless Chromium with {@code bin/check-report}. Skipped, saying so, where
 * Chromium is not installed ({@code apt-get install chromium}).
 */
class ReportInBrowserTest {

  @Test
  void rendersInChromium() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/chromium")),
        "Chromium not installed: apt-get install chromium");
    Path script = Path.of("..", "bin", "check-report").toAbsolutePath().normalize();
    Path dir = Path.of("target", "report-check").toAbsolutePath();
    Path html = dir.resolve("report.html");
    ModelArtifact artifact = TrainedModels.synthetic().toArtifact();
    try (Classifier classifier = Classifier.builder().setArtifact(artifact).build()) {
      new HtmlReport(
              artifact.metadata(),
              artifact.metadata().test(),
              HtmlReport.samples(classifier, SyntheticCifar.images(24, 8), 24))
          .write(html);
    }
    Process process =
        new ProcessBuilder(script.toString(), html.toString(), dir.resolve("report.png").toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    System.out.println(output);
    assertThat(process.waitFor()).as(output).isZero();
    assertThat(output).contains("Screenshot: " + dir.resolve("report.png"));
    assertThat(dir.resolve("report.png")).isNotEmptyFile();
  }
}
