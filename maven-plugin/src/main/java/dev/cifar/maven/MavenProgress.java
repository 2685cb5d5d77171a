package dev.cifar.maven;

import dev.cifar.evaluation.EpochMetrics;
import dev.cifar.training.ProgressListener;
import java.io.PrintStream;
import org.apache.maven.plugin.logging.Log;

/**
 * Sends training progress to the Maven log: one line per epoch, and, when a terminal is attached
 * and Maven is not in batch mode, a progress bar over the batches of the epoch.
 */
final class MavenProgress implements ProgressListener {

  private static final int BAR = 30;

  private final Log log;
  private final PrintStream terminal;
  private int shown = -1;

  MavenProgress(Log log, boolean interactive) {
    this.log = log;
    this.terminal = interactive && System.console() != null ? System.out : null;
  }

  @Override
  public void onInfo(String line) {
    log.info(line);
  }

  @Override
  public void onWarning(String line) {
    log.warn(line);
  }

  @Override
  public void onBatch(int epoch, int batch, int batches) {
    if (terminal == null) {
      return;
    }
    int filled = batch * BAR / batches;
    if (filled == shown && batch != batches) {
      return;
    }
    shown = filled;
    terminal.print(
        "\r[INFO] epoch "
            + epoch
            + " ["
            + "=".repeat(filled)
            + " ".repeat(BAR - filled)
            + "] "
            + batch
            + "/"
            + batches);
    terminal.flush();
  }

  @Override
  public void onEpoch(EpochMetrics metrics) {
    if (terminal != null) {
      terminal.print("\r" + " ".repeat(BAR + 40) + "\r");
      terminal.flush();
      shown = -1;
    }
    log.info(metrics.toLogLine());
  }
}
