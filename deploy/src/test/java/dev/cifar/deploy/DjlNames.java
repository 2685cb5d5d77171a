package dev.cifar.deploy;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Tells whether DJL's own classes (api and the PyTorch engine, the versions the project uses)
 * contain a name, e.g. an environment variable DJL reads such as {@code PYTORCH_LIBRARY_PATH}.
 */
final class DjlNames {

  private static final Map<String, Boolean> CACHE = new HashMap<>();

  private DjlNames() {}

  /**
   * Looks for a name among the string constants of DJL's classes.
   *
   * @param name e.g. {@code DJL_CACHE_DIR}
   * @return true when a DJL class holds it
   */
  static synchronized boolean contains(String name) {
    return CACHE.computeIfAbsent(
        name,
        n ->
            inJar(jarOf(Engine.class), n) || inJar(jarOf(ai.djl.pytorch.engine.PtEngine.class), n));
  }

  private static Path jarOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean inJar(Path jar, String name) {
    byte[] needle = name.getBytes(StandardCharsets.UTF_8);
    try (JarFile file = new JarFile(jar.toFile())) {
      for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements(); ) {
        JarEntry entry = e.nextElement();
        if (entry.getName().endsWith(".class")) {
          try (InputStream in = file.getInputStream(entry)) {
            if (indexOf(in.readAllBytes(), needle) >= 0) {
              return true;
            }
          }
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
