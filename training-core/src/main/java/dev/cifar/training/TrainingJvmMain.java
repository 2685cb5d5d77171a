package dev.cifar.training;

import dev.cifar.CifarException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/**
 * The entry point of the JVM a {@link TrainingJvm} forks: runs the {@link TrainJob} its arguments
 * describe and writes what it reports as {@link JvmEvents} on standard output (which nothing else
 * in this JVM writes to: {@code System.out} goes to standard error). It ends itself when its
 * standard input closes, that is when the JVM that started it is gone.
 *
 * <p>Exit codes: 0 done, 1 one of training-core's errors (reported as an event), 2 anything else
 * (its stack trace on standard error), 3 the parent went away.
 */
public final class TrainingJvmMain {

  private TrainingJvmMain() {}

  /**
   * Runs the job.
   *
   * @param args the job's {@code name=value} arguments
   */
  public static void main(String[] args) {
    PrintStream out = System.out;
    System.setOut(System.err);
    JvmEvents.Writer events = new JvmEvents.Writer(out);
    JvmEventLogging.sendTo(events);
    Thread watchdog = new Thread(TrainingJvmMain::haltWhenOrphaned, "cifar-parent-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    int exit;
    try {
      String arenas = System.getenv(TrainingJvm.ARENA_MAX);
      events.onInfo(
          "Training JVM: pid "
              + ProcessHandle.current().pid()
              + ", "
              + System.getProperty("java.vm.name")
              + " "
              + Runtime.version()
              + ", "
              + TrainingJvm.ARENA_MAX
              + "="
              + (arenas == null ? "(unset)" : arenas));
      TrainJob.Outcome outcome =
          TrainJob.fromArguments(List.of(args)).optListener(events).build().run();
      events.done(outcome);
      exit = 0;
    } catch (CifarException e) {
      events.error(e);
      exit = 1;
    } catch (RuntimeException | Error e) {
      e.printStackTrace(System.err);
      exit = 2;
    }
    System.err.flush();
    out.flush();
    System.exit(exit);
  }

  private static void haltWhenOrphaned() {
    byte[] buffer = new byte[256];
    try (InputStream in = System.in) {
      while (in.read(buffer) >= 0) {
        // the parent writes nothing; it only keeps the pipe open
      }
    } catch (IOException e) {
      // a broken pipe: the parent is gone too
    }
    Runtime.getRuntime().halt(3);
  }
}
