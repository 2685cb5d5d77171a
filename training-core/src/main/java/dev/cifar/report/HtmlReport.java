package dev.cifar.report;

import dev.cifar.artifact.ArtifactException;
import dev.cifar.artifact.ModelMetadata;
import dev.cifar.classifier.Classifier;
import dev.cifar.classifier.Prediction;
import dev.cifar.data.AtomicFiles;
import dev.cifar.data.ImageConversion;
import dev.cifar.data.LabeledImages;
import dev.cifar.evaluation.EpochMetrics;
import dev.cifar.evaluation.Evaluation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Renders the report of a model as one HTML file with inline CSS, SVG and PNG data: no script, no
 * external resource.
 */
public final class HtmlReport {

  private static final int CHART_W = 460;
  private static final int CHART_H = 240;
  private static final int PAD = 40;

  private final ModelMetadata model;
  private final Evaluation evaluation;
  private final List<ReportSample> samples;

  /**
   * Creates a report.
   *
   * @param model the artifact's metadata (history, configuration, metrics)
   * @param evaluation the evaluation to show, e.g. the recorded test evaluation
   * @param samples test images with their predictions, for the grid
   */
  public HtmlReport(ModelMetadata model, Evaluation evaluation, List<ReportSample> samples) {
    this.model = model;
    this.evaluation = evaluation;
    this.samples = List.copyOf(samples);
  }

  /**
   * Classifies the first images of a set for the report's grid.
   *
   * @param classifier the model
   * @param images labelled images, e.g. the test set
   * @param count how many, at most
   * @return the samples
   */
  public static List<ReportSample> samples(Classifier classifier, LabeledImages images, int count) {
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < Math.min(count, images.size()); i++) {
      batch.add(images.image(i));
    }
    List<Prediction> predictions = classifier.classify(batch, 1);
    List<ReportSample> out = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      out.add(
          new ReportSample(
              batch.get(i), images.classes().get(images.label(i)), predictions.get(i)));
    }
    return out;
  }

  /**
   * Writes the report atomically.
   *
   * @param file the HTML file
   * @throws ArtifactException when it cannot be written
   */
  public void write(Path file) {
    byte[] html = render().getBytes(StandardCharsets.UTF_8);
    try {
      AtomicFiles.write(file, out -> out.write(html));
    } catch (IOException e) {
      throw new ArtifactException("Cannot write report " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Renders the page.
   *
   * @return the HTML text
   */
  public String render() {
    StringBuilder h = new StringBuilder(64 * 1024);
    h.append(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>cifar report: ")
        .append(esc(model.serving().network()))
        .append("</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}")
        .append("h1{font-size:22px}h2{font-size:17px;margin-top:28px}")
        .append(
            "table{border-collapse:collapse;font-size:13px}td,th{padding:3px 8px;border-bottom:1px solid #ddd;text-align:left}")
        .append(".num{text-align:right;font-variant-numeric:tabular-nums}")
        .append(".charts{display:flex;flex-wrap:wrap;gap:16px}")
        .append(".grid{display:grid;grid-template-columns:repeat(8,96px);gap:10px}")
        .append(
            ".cell{font-size:11px;text-align:center}.cell img{width:96px;height:96px;image-rendering:pixelated}")
        .append(".ok{color:#1a7f37}.bad{color:#c62828}.summary td:first-child{color:#555}")
        .append("svg text{font-size:11px;fill:#444}\n</style></head><body>\n");
    h.append("<h1>CIFAR-10 model: ").append(esc(model.serving().network())).append("</h1>\n");
    summary(h);
    h.append("<h2>Learning curves</h2>\n<div class=\"charts\">\n");
    curve(
        h,
        "loss",
        "Loss: training objective (train), cross-entropy (dev)",
        EpochMetrics::trainLoss,
        EpochMetrics::devLoss);
    curve(h, "accuracy", "Accuracy", EpochMetrics::trainAccuracy, EpochMetrics::devAccuracy);
    h.append("</div>\n");
    if (evaluation != null) {
      h.append("<h2>Per-class accuracy (")
          .append(evaluation.count())
          .append(" test images)</h2>\n");
      perClass(h);
      h.append("<h2>Confusion matrix (rows: true class, columns: predicted)</h2>\n");
      confusion(h);
    }
    if (!samples.isEmpty()) {
      h.append("<h2>Test images: predicted / true</h2>\n<div class=\"grid\" id=\"samples\">\n");
      for (ReportSample s : samples) {
        boolean ok = s.prediction().label().equals(s.truth());
        h.append("<div class=\"cell\"><img alt=\"")
            .append(esc(s.truth()))
            .append("\" src=\"data:image/png;base64,")
            .append(png(s.image()))
            .append("\"><br><span class=\"")
            .append(ok ? "ok" : "bad")
            .append("\">")
            .append(esc(s.prediction().label()))
            .append(String.format(Locale.ROOT, " %.0f%%", 100 * s.prediction().probability()))
            .append("</span><br>")
            .append(esc(s.truth()))
            .append("</div>\n");
      }
      h.append("</div>\n");
    }
    h.append("<h2>Training configuration</h2>\n<table id=\"configuration\">\n");
    for (Map.Entry<String, Object> e : model.training().entrySet()) {
      h.append("<tr><td>")
          .append(esc(e.getKey()))
          .append("</td><td>")
          .append(esc(String.valueOf(e.getValue())))
          .append("</td></tr>\n");
    }
    h.append("</table>\n</body></html>\n");
    return h.toString();
  }

  private void summary(StringBuilder h) {
    List<EpochMetrics> history = model.history();
    double speed =
        history.stream().mapToDouble(EpochMetrics::imagesPerSecond).average().orElse(Double.NaN);
    h.append("<table class=\"summary\" id=\"summary\">\n");
    row(
        h,
        "test accuracy",
        evaluation == null
            ? "-"
            : pct(evaluation.accuracy()) + " on " + evaluation.count() + " images");
    row(
        h,
        "dev accuracy",
        model.dev() == null
            ? "-"
            : pct(model.dev().accuracy()) + " on " + model.dev().count() + " images");
    row(h, "classes", String.join(", ", model.serving().classes()));
    row(h, "epochs", String.valueOf(history.size()));
    row(h, "device", model.device());
    row(h, "training time", String.format(Locale.ROOT, "%.1f s", model.trainingSeconds()));
    row(
        h,
        "speed",
        String.format(Locale.ROOT, "%,.0f images/s (training step, mean over epochs)", speed));
    row(
        h,
        "network",
        model.serving().network()
            + " (definition version "
            + model.serving().networkVersion()
            + ")");
    row(h, "normalisation", String.valueOf(model.serving().normalization()));
    row(h, "parameters SHA-256", model.parametersSha256());
    row(
        h,
        "created",
        model.createdAt()
            + " with DJL "
            + model.djlVersion()
            + ", PyTorch "
            + model.pytorchVersion());
    h.append("</table>\n");
  }

  private static void row(StringBuilder h, String key, String value) {
    h.append("<tr><td>")
        .append(esc(key))
        .append("</td><td>")
        .append(esc(value))
        .append("</td></tr>\n");
  }

  private void curve(
      StringBuilder h,
      String id,
      String title,
      ToDoubleFunction<EpochMetrics> train,
      ToDoubleFunction<EpochMetrics> dev) {
    List<EpochMetrics> history = model.history();
    double max = 0;
    double min = Double.MAX_VALUE;
    for (EpochMetrics m : history) {
      for (double v : new double[] {train.applyAsDouble(m), dev.applyAsDouble(m)}) {
        if (Double.isFinite(v)) {
          max = Math.max(max, v);
          min = Math.min(min, v);
        }
      }
    }
    if (min > max) {
      min = 0;
      max = 1;
    }
    double lo = id.equals("accuracy") ? Math.max(0, Math.floor(min * 10) / 10) : 0;
    double hi = id.equals("accuracy") ? Math.min(1, Math.ceil(max * 10) / 10) : max * 1.05;
    if (hi <= lo) {
      hi = lo + 1;
    }
    h.append("<figure><figcaption>")
        .append(esc(title))
        .append("</figcaption>\n<svg id=\"curve-")
        .append(id)
        .append("\" width=\"")
        .append(CHART_W)
        .append("\" height=\"")
        .append(CHART_H)
        .append("\" viewBox=\"0 0 ")
        .append(CHART_W)
        .append(' ')
        .append(CHART_H)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">\n");
    int x0 = PAD;
    int y0 = CHART_H - PAD / 2 - 10;
    int w = CHART_W - PAD - 20;
    int ht = CHART_H - PAD;
    h.append("<rect x=\"")
        .append(x0)
        .append("\" y=\"")
        .append(y0 - ht)
        .append("\" width=\"")
        .append(w)
        .append("\" height=\"")
        .append(ht)
        .append("\" fill=\"#fafafa\" stroke=\"#ccc\"/>\n");
    for (int t = 0; t <= 4; t++) {
      double v = lo + (hi - lo) * t / 4;
      double y = y0 - ht * t / 4.0;
      h.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                  + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>\n",
              x0,
              x0 + w,
              y,
              y,
              x0 - 4,
              y + 4,
              v));
    }
    int n = history.size();
    for (int i = 0; i < n; i++) {
      double x = x0 + (n == 1 ? w / 2.0 : w * i / (double) (n - 1));
      h.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n",
              x,
              y0 + 14,
              history.get(i).epoch()));
    }
    series(h, id, "train", "#1f77b4", train, x0, y0, w, ht, lo, hi);
    series(h, id, "dev", "#ff7f0e", dev, x0, y0, w, ht, lo, hi);
    h.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%d\" y=\"%d\" fill=\"#1f77b4\">&#9632; train</text>"
                + "<text x=\"%d\" y=\"%d\" fill=\"#ff7f0e\">&#9632; dev</text>\n",
            x0 + 8,
            y0 - ht + 14,
            x0 + 70,
            y0 - ht + 14));
    h.append("</svg></figure>\n");
  }

  private void series(
      StringBuilder h,
      String id,
      String name,
      String colour,
      ToDoubleFunction<EpochMetrics> value,
      int x0,
      int y0,
      int w,
      int ht,
      double lo,
      double hi) {
    List<EpochMetrics> history = model.history();
    int n = history.size();
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < n; i++) {
      double v = value.applyAsDouble(history.get(i));
      if (!Double.isFinite(v)) {
        continue;
      }
      double x = x0 + (n == 1 ? w / 2.0 : w * i / (double) (n - 1));
      double y = y0 - ht * (Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo);
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      h.append(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>",
              x,
              y,
              colour));
    }
    h.append("\n<polyline class=\"curve\" id=\"")
        .append(id)
        .append('-')
        .append(name)
        .append("\" fill=\"none\" stroke=\"")
        .append(colour)
        .append("\" stroke-width=\"2\" points=\"")
        .append(points.toString().strip())
        .append("\"/>\n");
  }

  private void perClass(StringBuilder h) {
    List<String> classes = evaluation.classes();
    int rowH = 18;
    int labelW = 90;
    int barW = 300;
    h.append("<svg id=\"per-class\" width=\"")
        .append(labelW + barW + 60)
        .append("\" height=\"")
        .append(rowH * classes.size() + 4)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
    for (int c = 0; c < classes.size(); c++) {
      double acc = evaluation.perClassAccuracy()[c];
      double shown = Double.isFinite(acc) ? acc : 0;
      int y = c * rowH + 2;
      h.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                  + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#4c78a8\"/>"
                  + "<text x=\"%.1f\" y=\"%d\">%s</text>\n",
              labelW - 6,
              y + 12,
              esc(classes.get(c)),
              labelW,
              y,
              barW * shown,
              rowH - 4,
              labelW + barW * shown + 4,
              y + 12,
              Double.isFinite(acc) ? pct(acc) : "-"));
    }
    h.append("</svg>\n");
  }

  private void confusion(StringBuilder h) {
    List<String> classes = evaluation.classes();
    int k = classes.size();
    int cell = 34;
    int label = 90;
    int max = 1;
    for (int[] row : evaluation.confusion()) {
      for (int v : row) {
        max = Math.max(max, v);
      }
    }
    h.append("<svg id=\"confusion\" width=\"")
        .append(label + cell * k + 10)
        .append("\" height=\"")
        .append(label + cell * k + 10)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\">\n");
    for (int c = 0; c < k; c++) {
      h.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
              label - 6,
              label + c * cell + cell / 2 + 4,
              esc(classes.get(c))));
      h.append(
          String.format(
              Locale.ROOT,
              "<text transform=\"translate(%d,%d) rotate(-50)\">%s</text>\n",
              label + c * cell + cell / 2,
              label - 6,
              esc(classes.get(c))));
    }
    for (int t = 0; t < k; t++) {
      for (int p = 0; p < k; p++) {
        int v = evaluation.confusion()[t][p];
        double a = (double) v / max;
        String fill =
            t == p
                ? String.format(Locale.ROOT, "rgba(26,127,55,%.3f)", 0.08 + 0.92 * a)
                : String.format(
                    Locale.ROOT, "rgba(198,40,40,%.3f)", v == 0 ? 0.02 : 0.08 + 0.92 * a);
        h.append(
            String.format(
                Locale.ROOT,
                "<rect class=\"cell\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                    + "fill=\"%s\" stroke=\"#fff\"><title>true %s, predicted %s: %d</title></rect>"
                    + "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" style=\"fill:%s\">%d</text>\n",
                label + p * cell,
                label + t * cell,
                cell,
                cell,
                fill,
                esc(classes.get(t)),
                esc(classes.get(p)),
                v,
                label + p * cell + cell / 2,
                label + t * cell + cell / 2 + 4,
                a > 0.55 ? "#fff" : "#333",
                v));
      }
    }
    h.append("</svg>\n");
  }

  private static String png(byte[] cifar) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(ImageConversion.toImage(cifar), "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(out.toByteArray());
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
