package dev.cifar.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cifar.artifact.ModelArtifact;
import dev.cifar.artifact.ModelMetadata;
import dev.cifar.classifier.Classifier;
import dev.cifar.testing.SyntheticCifar;
import dev.cifar.testing.TrainedModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

  private static ModelMetadata metadata;
  private static String html;

  @BeforeAll
  static void render() {
    ModelArtifact artifact = TrainedModels.synthetic().toArtifact();
    metadata = artifact.metadata();
    try (Classifier classifier = Classifier.builder().setArtifact(artifact).build()) {
      List<ReportSample> samples = HtmlReport.samples(classifier, SyntheticCifar.images(20, 5), 16);
      html = new HtmlReport(metadata, metadata.test(), samples).render();
    }
  }

  @Test
  void learningCurvesHaveOnePointPerEpochForTrainAndDev() {
    for (String curve : List.of("loss-train", "loss-dev", "accuracy-train", "accuracy-dev")) {
      Matcher m =
          Pattern.compile("<polyline class=\"curve\" id=\"" + curve + "\"[^>]*points=\"([^\"]*)\"")
              .matcher(html);
      assertThat(m.find()).as(curve).isTrue();
      assertThat(m.group(1).trim().split(" ")).as(curve).hasSize(metadata.history().size());
    }
    assertThat(html).contains("<svg id=\"curve-loss\"").contains("<svg id=\"curve-accuracy\"");
  }

  @Test
  void confusionMatrixAndPerClassAccuracyCoverEveryClass() {
    assertThat(count("<rect class=\"cell\"")).isEqualTo(100);
    int diagonal = metadata.test().confusion()[3][3];
    assertThat(html).contains("<title>true cat, predicted cat: " + diagonal + "</title>");
    assertThat(html).contains("<svg id=\"per-class\"");
    for (String c : SyntheticCifar.CLASSES) {
      assertThat(html).contains(">" + c + "</text>");
    }
  }

  @Test
  void gridShowsEachSampleWithPredictedAndTrueLabelAndIsSelfContained() {
    assertThat(count("src=\"data:image/png;base64,")).isEqualTo(16);
    assertThat(html).contains("<span class=\"ok\">");
    assertThat(html).doesNotContain("src=\"http", "href=", "<script", "<link", "url(", "@import");
    assertThat(html).contains("id=\"configuration\"").contains("<td>batchSize</td><td>32</td>");
    assertThat(html).contains(metadata.parametersSha256()).contains(metadata.device());
  }

  @Test
  void writesAtomically(@TempDir Path tmp) throws IOException {
    Path file = tmp.resolve("cifar/report.html");
    new HtmlReport(metadata, metadata.test(), List.of()).write(file);
    assertThat(Files.readString(file)).startsWith("<!DOCTYPE html>");
    try (var files = Files.list(file.getParent())) {
      assertThat(files).hasSize(1);
    }
  }

  private static int count(String needle) {
    int n = 0;
    for (int at = html.indexOf(needle); at >= 0; at = html.indexOf(needle, at + 1)) {
      n++;
    }
    return n;
  }
}
