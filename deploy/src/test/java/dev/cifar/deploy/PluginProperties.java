package dev.cifar.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The user properties of the cifar Maven plugin ({@code -Dcifar.epochs=10}), from its sources. */
final class PluginProperties {

  private static final Pattern NAME = Pattern.compile("\"(cifar\\.[A-Za-z]+)\"");

  /** The plugin's own properties, and the training options' names it takes from training-core. */
  private static final String[] SOURCES = {
    "maven-plugin/src/main/java/dev/cifar/maven/Properties.java",
    "training-core/src/main/java/dev/cifar/training/TrainingOptions.java"
  };

  private static final Pattern OPTION = Pattern.compile("-D(cifar\\.[A-Za-z]+)(=(\\S*))?");

  private PluginProperties() {}

  /**
   * Returns every property the plugin declares.
   *
   * @return e.g. {@code cifar.epochs}, {@code cifar.output}
   */
  static Set<String> names() {
    Set<String> names = new TreeSet<>();
    for (String source : SOURCES) {
      Matcher m = NAME.matcher(Repository.read(source));
      while (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /**
   * Returns the value of {@code -Dname=value} among command-line arguments.
   *
   * @param args the arguments
   * @param name e.g. {@code cifar.output}
   * @return the value, or {@code null} when not given
   */
  static String value(Iterable<String> args, String name) {
    String found = null;
    for (String arg : args) {
      Matcher m = OPTION.matcher(arg);
      while (m.find()) {
        if (m.group(1).equals(name)) {
          found = m.group(3) == null ? "true" : m.group(3);
        }
      }
    }
    return found;
  }

  /**
   * Returns the {@code cifar.*} properties set among command-line arguments.
   *
   * @param text the arguments, as one text
   * @return the names
   */
  static Set<String> used(String text) {
    Set<String> used = new TreeSet<>();
    Matcher m = OPTION.matcher(text);
    while (m.find()) {
      used.add(m.group(1));
    }
    return used;
  }
}
