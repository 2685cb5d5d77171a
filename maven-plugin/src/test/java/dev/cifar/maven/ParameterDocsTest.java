package dev.cifar.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * docs/training.md's parameter tables and the plugin descriptor that Maven and {@code cifar:help}
 * read cannot drift apart: every {@code cifar.*} property of a goal is documented in that goal's
 * table, nothing else is, a default the descriptor declares is the one the table names, and a
 * parameter the table says a recipe decides has no default in the goal.
 */
class ParameterDocsTest {

  private static final Path DOCS = Path.of("..", "docs", "training.md");
  private static final Path DESCRIPTOR =
      Path.of("target", "classes", "META-INF", "maven", "plugin.xml");
  private static final Pattern ROW = Pattern.compile("^\\| (`cifar\\.[^|]+)\\| ([^|]*)\\|");
  private static final Pattern NAME = Pattern.compile("`(cifar\\.\\w+)`");
  private static final Pattern EXPRESSION = Pattern.compile("\\$\\{(cifar\\.\\w+)}");

  @Test
  void theTrainTableDocumentsExactlyTheTrainGoalsProperties() throws Exception {
    checkGoal("train", 0);
  }

  @Test
  void cifarTrainTakesEveryTrainingOption() throws Exception {
    assertThat(descriptor("train").keySet())
        .as("cifar:train's properties")
        .containsAll(dev.cifar.training.TrainingOptions.names());
  }

  @Test
  void theEvaluateTableDocumentsExactlyTheEvaluateGoalsProperties() throws Exception {
    checkGoal("evaluate", 1);
  }

  @Test
  void theExportTableDocumentsExactlyTheExportGoalsProperties() throws Exception {
    checkGoal("export", 2);
  }

  private static void checkGoal(String goal, int table) throws Exception {
    Map<String, String> documented = tables().get(table);
    Map<String, String> declared = descriptor(goal);
    assertThat(documented.keySet())
        .as("docs/training.md's table for cifar:" + goal)
        .containsExactlyInAnyOrderElementsOf(declared.keySet());
    declared.forEach(
        (property, defaultValue) -> {
          if (defaultValue != null) {
            assertThat(documented.get(property))
                .as("the documented default of " + property)
                .contains("`" + defaultValue + "`");
          }
          if (documented.get(property).startsWith("recipe:")) {
            assertThat(defaultValue)
                .as(
                    property
                        + " defaults per network in training-core's recipes, so the"
                        + " goal must leave it unset")
                .isNull();
          }
        });
  }

  /** The property tables of docs/training.md in order: property to its default cell. */
  private static List<Map<String, String>> tables() throws IOException {
    List<Map<String, String>> tables = new java.util.ArrayList<>();
    Map<String, String> current = null;
    for (String line : Files.readAllLines(DOCS)) {
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        if (current == null) {
          current = new LinkedHashMap<>();
          tables.add(current);
        }
        Matcher name = NAME.matcher(row.group(1));
        while (name.find()) {
          current.put(name.group(1), row.group(2).trim());
        }
      } else if (!line.startsWith("|")) {
        current = null;
      }
    }
    assertThat(tables).as("property tables in docs/training.md").hasSizeGreaterThanOrEqualTo(2);
    return tables;
  }

  /** A goal's user properties and their declared defaults ({@code null}: none). */
  private static Map<String, String> descriptor(String goal) throws Exception {
    var document =
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(DESCRIPTOR.toFile());
    NodeList mojos = document.getElementsByTagName("mojo");
    for (int i = 0; i < mojos.getLength(); i++) {
      Element mojo = (Element) mojos.item(i);
      if (!goal.equals(mojo.getElementsByTagName("goal").item(0).getTextContent())) {
        continue;
      }
      Map<String, String> properties = new TreeMap<>();
      Element configuration = (Element) mojo.getElementsByTagName("configuration").item(0);
      NodeList entries = configuration.getChildNodes();
      for (int j = 0; j < entries.getLength(); j++) {
        if (entries.item(j) instanceof Element entry) {
          Matcher expression = EXPRESSION.matcher(entry.getTextContent());
          if (expression.matches()) {
            String value = entry.getAttribute("default-value");
            properties.put(expression.group(1), value.isEmpty() ? null : value);
          }
        }
      }
      return properties;
    }
    throw new AssertionError("no goal " + goal + " in " + DESCRIPTOR);
  }
}
