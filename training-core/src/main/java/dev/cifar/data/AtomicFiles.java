package dev.cifar.data;

import dev.cifar.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes files so that a reader sees either the old content or the complete new content, never a
 * half-written file: data goes to a temporary file in the same directory, is flushed to disk, then
 * renamed over the target.
 */
public final class AtomicFiles {

  /** Writes content to a stream. */
  @FunctionalInterface
  public interface Writer {
    /**
     * Writes the content.
     *
     * @param out the stream of the temporary file
     * @throws IOException when writing fails
     */
    void write(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /**
   * Writes a file atomically. On any failure the temporary file is deleted and the target is left
   * as it was.
   *
   * @param target the file to create or replace
   * @param writer produces the content
   * @throws IOException when writing or renaming fails
   */
  public static void write(Path target, Writer writer) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
        writer.write(out);
      }
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      move(temp, target);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Writes a value as the project's JSON ({@link Json}), atomically.
   *
   * @param target the file to create or replace
   * @param value what to write: a record, a map, a list
   * @throws IOException when writing or renaming fails
   */
  public static void writeJson(Path target, Object value) throws IOException {
    byte[] bytes = Json.GSON.toJson(value).getBytes(StandardCharsets.UTF_8);
    write(target, out -> out.write(bytes));
  }

  /**
   * Deletes temporary files that an interrupted {@link #write} of the target left behind (a process
   * killed between writing and renaming).
   *
   * @param target the file whose temporaries to delete
   * @throws IOException when listing or deleting fails
   */
  public static void deleteStale(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      return;
    }
    String prefix = "." + target.getFileName() + ".";
    try (var files = Files.list(dir)) {
      for (Path p :
          files
              .filter(
                  p ->
                      p.getFileName().toString().startsWith(prefix)
                          && p.getFileName().toString().endsWith(".tmp"))
              .toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Deletes a directory and everything in it; nothing when it does not exist.
   *
   * @param dir the directory
   * @throws IOException when listing or deleting fails
   */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * Renames a file or directory over a target in the same file system, atomically where the file
   * system allows it.
   *
   * @param source the complete new file or directory
   * @param target its final name
   * @throws IOException when the rename fails
   */
  public static void move(Path source, Path target) throws IOException {
    try {
      Files.move(
          source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
