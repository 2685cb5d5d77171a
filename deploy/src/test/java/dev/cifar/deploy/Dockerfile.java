package dev.cifar.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile read the way {@code docker build} reads it: continuation lines joined, comments
 * dropped, split into stages, with {@code ARG} defaults and {@code ENV} values expanded.
 */
final class Dockerfile {

  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)\\}?");
  private static final Pattern ASSIGNMENT =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|\\S*)");

  /** The file. */
  final Path file;

  /** {@code ARG}s before the first {@code FROM}, with their defaults. */
  final Map<String, String> globalArgs = new LinkedHashMap<>();

  /** The stages, in order; the last one is the image. */
  final List<Stage> stages = new ArrayList<>();

  /** One instruction, e.g. {@code COPY} with its arguments, variables expanded. */
  record Instruction(String keyword, String args, int line) {}

  /** A build stage: its base image, name, instructions and environment. */
  static final class Stage {
    /** The base image, variables expanded. */
    String from;

    /** The {@code AS} name, or {@code null}. */
    String name;

    /** Every instruction after {@code FROM}. */
    final List<Instruction> instructions = new ArrayList<>();

    /** {@code ENV} and in-scope {@code ARG} values. */
    final Map<String, String> env = new LinkedHashMap<>();

    /** {@code ENV} names alone. */
    final Map<String, String> envOnly = new LinkedHashMap<>();

    /**
     * Returns the instructions of one keyword.
     *
     * @param keyword e.g. {@code COPY}
     * @return them, in order
     */
    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }
  }

  private Dockerfile(Path file) {
    this.file = file;
    Stage stage = null;
    int lineNo = 0;
    int start = 0;
    StringBuilder logical = new StringBuilder();
    for (String raw : Repository.read(file).split("\n", -1)) {
      lineNo++;
      String line = raw.strip();
      if (line.startsWith("#") || (line.isEmpty() && logical.isEmpty())) {
        continue;
      }
      if (logical.isEmpty()) {
        start = lineNo;
      }
      if (line.endsWith("\\")) {
        logical.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      logical.append(line);
      String text = logical.toString().strip();
      logical.setLength(0);
      if (text.isEmpty()) {
        continue;
      }
      String[] parts = text.split("\\s+", 2);
      String keyword = parts[0].toUpperCase(Locale.ROOT);
      String args = parts.length > 1 ? parts[1] : "";
      if (keyword.equals("FROM")) {
        stage = new Stage();
        String[] from = expand(args, globalArgs).split("\\s+");
        stage.from = from[0];
        if (from.length == 3 && from[1].equalsIgnoreCase("AS")) {
          stage.name = from[2];
        }
        stages.add(stage);
        continue;
      }
      if (stage == null) {
        if (!keyword.equals("ARG")) {
          throw new AssertionError(
              Repository.name(file) + ":" + start + ": " + keyword + " before FROM");
        }
        String[] kv = args.split("=", 2);
        globalArgs.put(kv[0].strip(), kv.length > 1 ? kv[1].strip() : null);
        continue;
      }
      if (keyword.equals("ARG")) {
        String[] kv = args.split("=", 2);
        String name = kv[0].strip();
        stage.env.put(
            name, kv.length > 1 ? expand(kv[1].strip(), stage.env) : globalArgs.get(name));
      }
      String expanded = expand(args, stage.env);
      if (keyword.equals("ENV")) {
        Matcher m = ASSIGNMENT.matcher(expanded);
        while (m.find()) {
          String value = m.group(2).replaceAll("^\"|\"$", "");
          stage.env.put(m.group(1), value);
          stage.envOnly.put(m.group(1), value);
        }
      }
      stage.instructions.add(new Instruction(keyword, expanded, start));
    }
    if (stages.isEmpty()) {
      throw new AssertionError(Repository.name(file) + " has no FROM");
    }
  }

  /**
   * Parses a Dockerfile.
   *
   * @param file the file
   * @return the parsed file
   */
  static Dockerfile parse(Path file) {
    return new Dockerfile(file);
  }

  private static String expand(String text, Map<String, String> values) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    return m.appendTail(out).toString();
  }

  /**
   * Returns the stage that makes the image.
   *
   * @return the last stage
   */
  Stage image() {
    return stages.get(stages.size() - 1);
  }

  /**
   * Names a place for a failure message.
   *
   * @param i an instruction
   * @return {@code file:line KEYWORD}
   */
  String where(Instruction i) {
    return Repository.name(file) + ":" + i.line() + " " + i.keyword();
  }

  /**
   * Splits {@code COPY}/{@code ADD} arguments into flags, sources and destination.
   *
   * @param args the arguments
   * @return flags (e.g. {@code --from=jdk}), then the sources, the last element the destination
   */
  static Copy copy(String args) {
    List<String> flags = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (String token : args.strip().split("\\s+")) {
      if (rest.isEmpty() && token.startsWith("--")) {
        flags.add(token);
      } else {
        rest.add(token);
      }
    }
    String from =
        flags.stream()
            .filter(f -> f.startsWith("--from="))
            .map(f -> f.substring(7))
            .findFirst()
            .orElse(null);
    return new Copy(from, rest.subList(0, rest.size() - 1), rest.get(rest.size() - 1));
  }

  /**
   * The parts of a {@code COPY}.
   *
   * @param from the stage or image of {@code --from}, or {@code null} for the build context
   * @param sources the sources
   * @param destination the destination in the image
   */
  record Copy(String from, List<String> sources, String destination) {}
}
