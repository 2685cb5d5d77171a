package dev.cifar.training;

import dev.cifar.CifarException;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A JVM of its own for a {@link TrainJob}, started the way the job's speed needs and the build's
 * JVM cannot be: with {@value #ARENA_MAX}{@code =1} in its environment (unless the environment
 * already sets it), so that glibc serves every thread from its main arena. In a JVM every thread
 * allocates from one of glibc's secondary arenas, whose heaps end at 64 MB, so every larger block
 * (the {@code fast} network's activations at batch 1,024) is mapped afresh and faulted in on every
 * step; {@code mallopt} cannot change a running JVM's arenas ({@link
 * dev.cifar.engine.NativeAllocator}). It also runs with the JIT's first tier only ({@value #C1}):
 * the loop's Java code only glues native calls together, and on a 2-core machine C2's compiler
 * threads took the training threads' CPU in the first epochs (seed's epochs 1-3 10-25% slower).
 *
 * <p>The forked JVM gets the job as arguments, the same Java, the given class path and this JVM's
 * {@code cifar.*}, DJL and PyTorch system properties. What it reports comes back through {@link
 * JvmEvents} to the job's listener, as in one process; training-core's typed errors come back as
 * the same types; its standard error and DJL's log lines come back as warnings and information.
 * When the forked JVM ends without finishing (killed, crashed), {@link #run} throws a {@link
 * CifarException} with its exit code. When this JVM ends first (Ctrl-C, a killed build), the forked
 * one is stopped: by a shutdown hook, and by the forked JVM itself when its standard input closes.
 */
public final class TrainingJvm {

  /** The glibc environment variable that caps the allocator's arenas. */
  public static final String ARENA_MAX = "MALLOC_ARENA_MAX";

  /** The system properties passed on: this project's, DJL's and PyTorch's. */
  private static final List<String> PASSED_ON =
      List.of("cifar.", "ai.djl.", "DJL_", "ENGINE_", "PYTORCH_", "OPT_OUT_TRACKING");

  /** SLF4J's system property that names the provider to use. */
  static final String PROVIDER_PROPERTY = "slf4j.provider";

  /**
   * The forked JVM's SLF4J provider, {@link JvmEventLogging}, by name: this JVM may have no SLF4J 2
   * (Maven keeps its own SLF4J out of a plugin's class path) and must not load the class.
   */
  static final String LOGGING_PROVIDER = "dev.cifar.training.JvmEventLogging";

  /** The JVM option that keeps the JIT compiler at C1. */
  static final String C1 = "-XX:TieredStopAtLevel=1";

  private final Path java;
  private final List<Path> classpath;

  private TrainingJvm(Path java, List<Path> classpath) {
    this.java = java;
    this.classpath = List.copyOf(classpath);
    if (this.classpath.isEmpty()) {
      throw new IllegalArgumentException("the training JVM needs a class path");
    }
  }

  /**
   * A JVM of the same Java as this one.
   *
   * @param classpath training-core and its dependencies (the Maven plugin's artifacts)
   * @return the JVM, not started
   */
  public static TrainingJvm of(List<Path> classpath) {
    return new TrainingJvm(Path.of(System.getProperty("java.home"), "bin", "java"), classpath);
  }

  /**
   * A JVM with this JVM's own class path, for tests and tools started with training-core on it.
   *
   * @return the JVM, not started
   */
  public static TrainingJvm withThisClasspath() {
    return of(
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(s -> !s.isEmpty())
            .map(Path::of)
            .toList());
  }

  /**
   * The command line that starts the forked JVM.
   *
   * @param args the job's arguments
   * @return the command
   */
  List<String> command(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.add(C1);
    if (Runtime.version().feature() >= 22) {
      command.add("--enable-native-access=ALL-UNNAMED"); // JNA, without a warning
    }
    System.getProperties().stringPropertyNames().stream()
        .filter(name -> PASSED_ON.stream().anyMatch(name::startsWith))
        .sorted()
        .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
    command.add("-D" + PROVIDER_PROPERTY + "=" + LOGGING_PROVIDER);
    command.add("-Dslf4j.internal.verbosity=WARN"); // not SLF4J's line saying which provider
    command.add("-cp");
    command.add(
        classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
    command.add(TrainingJvmMain.class.getName());
    command.addAll(args);
    return command;
  }

  /**
   * Runs a job in a forked JVM and waits for it.
   *
   * @param args the job's arguments ({@link TrainJob#arguments()})
   * @param listener receives everything the job reports
   * @return the job's outcome
   * @throws CifarException the job's own error, or naming the exit code when the JVM ended early
   */
  TrainJob.Outcome run(List<String> args, ProgressListener listener) {
    Objects.requireNonNull(listener, "listener");
    ProcessBuilder builder = new ProcessBuilder(command(args));
    Map<String, String> environment = builder.environment();
    environment.putIfAbsent(ARENA_MAX, "1");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new CifarException("Cannot start the training JVM " + java + ": " + e.getMessage(), e);
    }
    Thread stopper = new Thread(() -> stop(process), "cifar-training-jvm-stopper");
    Runtime.getRuntime().addShutdownHook(stopper);
    // one listener call at a time: events come from standard output, warnings from standard error
    JvmEvents.Reader reader = new JvmEvents.Reader(listener);
    Thread errors =
        new Thread(
            () -> {
              try {
                lines(process.getErrorStream(), line -> warn(reader, listener, line));
              } catch (UncheckedIOException closed) {
                // the forked JVM is gone; run() reports how it ended
              }
            },
            "cifar-training-jvm-stderr");
    errors.setDaemon(true);
    errors.start();
    try {
      lines(
          process.getInputStream(),
          line -> {
            synchronized (reader) {
              reader.accept(line);
            }
          });
      int exit = process.waitFor();
      errors.join(TimeUnit.SECONDS.toMillis(10));
      if (reader.error() != null) {
        throw reader.error();
      }
      if (exit != 0 || reader.outcome() == null) {
        throw new CifarException(
            "The training JVM (pid "
                + process.pid()
                + ") ended with exit code "
                + exit
                + (exit > 128 ? " (signal " + (exit - 128) + ")" : "")
                + " before the job finished; its output is above");
      }
      return reader.outcome();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(process);
      throw new CifarException("Interrupted while the training JVM ran; it was stopped", e);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      stop(process);
      throw new CifarException("Lost the training JVM's output: " + e.getMessage(), e);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(stopper);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

  private static void warn(Object lock, ProgressListener listener, String line) {
    synchronized (lock) {
      listener.onWarning(line);
    }
  }

  private static void lines(InputStream stream, Consumer<String> sink) {
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        sink.accept(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void stop(Process process) {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
