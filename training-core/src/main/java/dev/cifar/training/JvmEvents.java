package dev.cifar.training;

import dev.cifar.CifarException;
import dev.cifar.ConfigurationException;
import dev.cifar.artifact.ArtifactException;
import dev.cifar.data.DataException;
import dev.cifar.evaluation.EpochMetrics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The line protocol between a {@link TrainingJvm} and the JVM it forks: the forked JVM writes every
 * {@link ProgressListener} call, its end and its typed error as one line on its standard output,
 * each starting with {@link #MARKER}; the parent reads them back into the same calls. A line
 * without the marker is output of native code (e.g. {@code ONEDNN_VERBOSE}) and is passed on as it
 * is; the marker is searched anywhere in a line, as native code may leave half a line before one.
 * Text is escaped so that every event stays on one line.
 */
final class JvmEvents {

  /** Starts every event line. */
  static final String MARKER = "#cifar-event# ";

  private JvmEvents() {}

  /** Writes events, in the forked JVM; safe to call from any thread. */
  static final class Writer implements ProgressListener {

    private final PrintStream out;

    Writer(PrintStream out) {
      this.out = out;
    }

    @Override
    public void onInfo(String line) {
      write("info " + escape(line));
    }

    @Override
    public void onWarning(String line) {
      write("warn " + escape(line));
    }

    @Override
    public void onBatch(int epoch, int batch, int batches) {
      write("batch " + epoch + " " + batch + " " + batches);
    }

    @Override
    public void onEpoch(EpochMetrics m) {
      write(
          String.join(
              " ",
              "epoch",
              Integer.toString(m.epoch()),
              Integer.toString(m.epochs()),
              Double.toString(m.trainLoss()),
              Double.toString(m.trainAccuracy()),
              Double.toString(m.devLoss()),
              Double.toString(m.devAccuracy()),
              Double.toString(m.imagesPerSecond()),
              Double.toString(m.seconds())));
    }

    /** The job finished. */
    void done(TrainJob.Outcome outcome) {
      write(
          "done "
              + outcome.trained()
              + " "
              + outcome.fingerprint()
              + " "
              + escape(outcome.artifact().toString()));
    }

    /** The job failed with one of training-core's errors. */
    void error(CifarException e) {
      int epoch = 0;
      int batch = 0;
      if (e instanceof TrainingDivergedException diverged) {
        epoch = diverged.epoch();
        batch = diverged.batch();
      }
      write(
          "error "
              + Kind.of(e).name().toLowerCase(Locale.ROOT)
              + " "
              + epoch
              + " "
              + batch
              + " "
              + escape(String.valueOf(e.getMessage())));
    }

    private synchronized void write(String event) {
      out.println(MARKER + event);
      out.flush();
    }
  }

  /**
   * Reads events, in the parent: each line goes to the listener, and the end or the error is kept.
   */
  static final class Reader {

    private final ProgressListener listener;
    private TrainJob.Outcome outcome;
    private CifarException error;

    Reader(ProgressListener listener) {
      this.listener = listener;
    }

    /**
     * Takes one line of the forked JVM's standard output.
     *
     * @param line the line, with or without an event
     * @throws IllegalArgumentException when an event line does not parse
     */
    void accept(String line) {
      int at = line.indexOf(MARKER);
      if (at < 0) {
        listener.onInfo(line);
        return;
      }
      if (at > 0) {
        listener.onInfo(line.substring(0, at));
      }
      String event = line.substring(at + MARKER.length());
      int space = event.indexOf(' ');
      String type = space < 0 ? event : event.substring(0, space);
      String rest = space < 0 ? "" : event.substring(space + 1);
      switch (type) {
        case "info" -> listener.onInfo(unescape(rest));
        case "warn" -> listener.onWarning(unescape(rest));
        case "batch" -> {
          String[] f = fields(rest, 3);
          listener.onBatch(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]));
        }
        case "epoch" -> {
          String[] f = fields(rest, 8);
          listener.onEpoch(
              new EpochMetrics(
                  Integer.parseInt(f[0]),
                  Integer.parseInt(f[1]),
                  Double.parseDouble(f[2]),
                  Double.parseDouble(f[3]),
                  Double.parseDouble(f[4]),
                  Double.parseDouble(f[5]),
                  Double.parseDouble(f[6]),
                  Double.parseDouble(f[7])));
        }
        case "done" -> {
          String[] f = fields(rest, 3);
          outcome = new TrainJob.Outcome(Boolean.parseBoolean(f[0]), Path.of(unescape(f[2])), f[1]);
        }
        case "error" -> {
          String[] f = fields(rest, 4);
          error =
              Kind.valueOf(f[0].toUpperCase(Locale.ROOT))
                  .rebuild(unescape(f[3]), Integer.parseInt(f[1]), Integer.parseInt(f[2]));
        }
        default -> throw new IllegalArgumentException("Unknown training JVM event: " + line);
      }
    }

    /**
     * @return the job's outcome, or {@code null} when the forked JVM did not say it finished
     */
    TrainJob.Outcome outcome() {
      return outcome;
    }

    /**
     * @return the error the forked JVM reported, or {@code null}
     */
    CifarException error() {
      return error;
    }
  }

  /** training-core's error types, so that the parent throws the type the forked JVM threw. */
  enum Kind {
    CONFIGURATION,
    DATA,
    ARTIFACT,
    DIVERGED,
    OTHER;

    static Kind of(CifarException e) {
      if (e instanceof ConfigurationException) {
        return CONFIGURATION;
      }
      if (e instanceof DataException) {
        return DATA;
      }
      if (e instanceof ArtifactException) {
        return ARTIFACT;
      }
      if (e instanceof TrainingDivergedException) {
        return DIVERGED;
      }
      return OTHER;
    }

    CifarException rebuild(String message, int epoch, int batch) {
      return switch (this) {
        case CONFIGURATION -> new ConfigurationException(message);
        case DATA -> new DataException(message);
        case ARTIFACT -> new ArtifactException(message);
        case DIVERGED -> new TrainingDivergedException(message, epoch, batch);
        case OTHER -> new CifarException(message);
      };
    }
  }

  private static String[] fields(String text, int count) {
    String[] f = text.split(" ", count);
    if (f.length != count) {
      throw new IllegalArgumentException(
          "A training JVM event needs " + count + " fields: '" + text + "'");
    }
    return f;
  }

  /** Escapes backslashes, line feeds and carriage returns, so that text stays on one line. */
  static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
  }

  /** Reverses {@link #escape}. */
  static String unescape(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && i + 1 < text.length()) {
        char n = text.charAt(++i);
        b.append(n == 'n' ? '\n' : n == 'r' ? '\r' : n);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
