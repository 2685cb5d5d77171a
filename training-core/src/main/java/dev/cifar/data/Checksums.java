package dev.cifar.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hex digests of byte arrays and files. */
public final class Checksums {

  private Checksums() {}

  /**
   * Digests bytes.
   *
   * @param algorithm e.g. {@code MD5} or {@code SHA-256}
   * @param bytes the data
   * @return the lower-case hex digest
   */
  public static String hex(String algorithm, byte[] bytes) {
    return HexFormat.of().formatHex(digest(algorithm).digest(bytes));
  }

  /**
   * Digests a file without holding it in memory.
   *
   * @param algorithm e.g. {@code MD5} or {@code SHA-256}
   * @param file the file
   * @return the lower-case hex digest
   * @throws IOException when the file cannot be read
   */
  public static String hex(String algorithm, Path file) throws IOException {
    MessageDigest md = digest(algorithm);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        md.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is not available in this JVM", e);
    }
  }
}
