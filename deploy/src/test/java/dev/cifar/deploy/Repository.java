package dev.cifar.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The project's files as the tests see them: the repository root, the deploy files, the root POM.
 */
final class Repository {

  /** The repository root (the build context of every Dockerfile). */
  static final Path ROOT =
      Path.of(System.getProperty("cifar.repository.root", "..")).toAbsolutePath().normalize();

  /** The deploy directory. */
  static final Path DEPLOY = ROOT.resolve("deploy");

  /** Where the function's build writes. */
  static final Path FUNCTION_TARGET = ROOT.resolve("function/target");

  private Repository() {}

  /**
   * Reads a file of the repository.
   *
   * @param relative path from the root
   * @return its text
   */
  static String read(String relative) {
    return read(ROOT.resolve(relative));
  }

  /**
   * Reads a file.
   *
   * @param file the file
   * @return its text
   */
  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Names a file for a failure message.
   *
   * @param file a file in the repository
   * @return its path from the root
   */
  static String name(Path file) {
    return ROOT.relativize(file.toAbsolutePath().normalize()).toString();
  }

  /**
   * Lists the deploy module's own files (not its build output) whose names end with a suffix.
   *
   * @param suffixes e.g. {@code .yml}
   * @return the files, sorted
   */
  static List<Path> deployFiles(String... suffixes) {
    List<Path> out = new ArrayList<>();
    try {
      // the module's own build output and test sources are not deployment files; they are not
      // even walked, since a build running beside the tests rewrites files under target/
      Files.walkFileTree(
          DEPLOY,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
              Path relative = DEPLOY.relativize(dir);
              return relative.equals(Path.of("target")) || relative.equals(Path.of("src"))
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
              String name = file.getFileName().toString();
              if (attributes.isRegularFile()
                  && (suffixes.length == 0 || Stream.of(suffixes).anyMatch(name::endsWith))) {
                out.add(file);
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.sort(null);
    return out;
  }

  /**
   * Returns a file the build produces, or skips the calling test, saying which command makes it.
   *
   * @param relative path from the root, e.g. {@code function/target/function.zip}
   * @param command the command that produces it
   * @return the file
   */
  static Path buildOutput(String relative, String command) {
    Path file = ROOT.resolve(relative);
    assumeTrue(
        Files.exists(file),
        () -> relative + " is not built yet (`" + command + "` makes it): skipped");
    return file;
  }

  /**
   * Reads a property of the root POM, e.g. {@code pytorch.version}, or {@code project.version}.
   *
   * @param name the property
   * @return its value
   */
  static String rootPomProperty(String name) {
    Element project = pom(ROOT.resolve("pom.xml"));
    if (name.equals("project.version")) {
      return child(project, "version");
    }
    return child(childElement(project, "properties"), name);
  }

  /**
   * Parses a POM.
   *
   * @param file the POM
   * @return its project element
   */
  static Element pom(Path file) {
    try {
      Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
      return doc.getDocumentElement();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot parse " + name(file) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Returns the text of the first child element of that name.
   *
   * @param parent the parent
   * @param name the child's name
   * @return its text, trimmed
   */
  static String child(Element parent, String name) {
    return childElement(parent, name).getTextContent().strip();
  }

  /**
   * Returns the first child element of that name.
   *
   * @param parent the parent
   * @param name the child's name
   * @return the element
   * @throws AssertionError when there is none
   */
  static Element childElement(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("<" + parent.getTagName() + "> has no <" + name + ">");
  }
}
