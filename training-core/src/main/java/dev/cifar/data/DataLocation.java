package dev.cifar.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Decides where CIFAR-10 comes from: an explicit directory, else the {@code CIFAR10_HOME}
 * environment variable, else the download cache ({@code ~/.cache/cifar10}, or {@code
 * CIFAR10_CACHE}), which is filled from the official archive when empty.
 */
public final class DataLocation {

  /** Environment variable naming a directory with the CIFAR-10 binary version. */
  public static final String HOME_ENV = "CIFAR10_HOME";

  /** Environment variable naming the download cache directory. */
  public static final String CACHE_ENV = "CIFAR10_CACHE";

  private DataLocation() {}

  /**
   * Returns the default download cache.
   *
   * @return {@code $CIFAR10_CACHE}, else {@code ~/.cache/cifar10}
   */
  public static Path defaultCache() {
    String env = System.getenv(CACHE_ENV);
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "cifar10");
  }

  /**
   * Resolves the batches directory.
   *
   * @param explicit a directory the user named, or {@code null}
   * @param cache the download cache, or {@code null} for {@link #defaultCache()}
   * @param progress receives one line per download step
   * @return the {@code cifar-10-batches-bin} directory
   * @throws DataException when a named directory holds no data or the download fails
   */
  public static Path resolve(Path explicit, Path cache, Consumer<String> progress) {
    if (explicit == null) {
      String env = System.getenv(HOME_ENV);
      if (env != null && !env.isBlank()) {
        explicit = Path.of(env);
      }
    }
    if (explicit != null) {
      if (!Files.isDirectory(explicit)) {
        throw new DataException(
            "CIFAR-10 directory "
                + explicit.toAbsolutePath()
                + " does not exist: point cifar.data (or "
                + HOME_ENV
                + ") at the cifar-10-batches-bin directory or its parent, or leave both unset to"
                + " download into "
                + (cache != null ? cache : defaultCache()));
      }
      return DataSets.isImageFolders(explicit) ? explicit : Cifar10Reader.locate(explicit);
    }
    return Cifar10Download.builder()
        .setCache(cache != null ? cache : defaultCache())
        .build()
        .fetch(progress);
  }
}
