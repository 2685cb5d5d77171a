package dev.cifar.training;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of a forked {@link TrainingJvm}: DJL's log lines at INFO and above become
 * {@link JvmEvents}, so they reach the build's log as they would in one process. It is chosen by
 * SLF4J's {@code slf4j.provider} system property of the forked JVM only, and registered nowhere
 * else.
 */
public final class JvmEventLogging implements SLF4JServiceProvider {

  private static volatile ProgressListener events;

  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();
  private final ILoggerFactory loggers = EventLogger::new;

  /** Creates the provider; SLF4J does, by reflection. */
  public JvmEventLogging() {}

  /** Where log lines go from now on; before this call they go to standard error. */
  static void sendTo(ProgressListener listener) {
    events = listener;
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  /** A logger that turns INFO into information and WARN and ERROR into warnings. */
  private static final class EventLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    EventLogger(String name) {
      this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
      return false;
    }

    @Override
    public boolean isDebugEnabled() {
      return false;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] arguments, Throwable throwable) {
      String text = MessageFormatter.basicArrayFormat(pattern, arguments);
      if (throwable != null) {
        text += ": " + throwable;
      }
      ProgressListener to = events;
      if (to == null) {
        System.err.println(level + " " + text);
      } else if (level == Level.INFO) {
        to.onInfo(text);
      } else {
        to.onWarning(text);
      }
    }
  }
}
