package dev.cifar.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Fetches the official {@code cifar-10-binary.tar.gz} into a cache directory, verifies its MD5 and
 * extracts it atomically: the batches directory appears complete or not at all. Without a network
 * the error says where to put the files instead.
 */
public final class Cifar10Download {

  private final URI url;
  private final String md5;
  private final Path cache;
  private final Duration timeout;

  private Cifar10Download(Builder builder) {
    this.url = builder.url;
    this.md5 = builder.md5;
    this.cache = Objects.requireNonNull(builder.cache, "cache");
    this.timeout = builder.timeout;
  }

  /**
   * Starts a builder.
   *
   * @return a builder with the official address and checksum
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the batches directory inside the cache, downloading and extracting the archive first
   * when it is not there.
   *
   * @param progress receives one line per step
   * @return the {@code cifar-10-batches-bin} directory
   * @throws DataException when the download fails, the checksum differs or extraction fails
   */
  public Path fetch(java.util.function.Consumer<String> progress) {
    Path batches = cache.resolve(Cifar10Files.BATCHES_DIR);
    if (Files.isDirectory(batches)) {
      return batches;
    }
    try {
      Files.createDirectories(cache);
      Path archive = cache.resolve("cifar-10-binary.tar.gz");
      if (!Files.isRegularFile(archive) || !md5.equals(Checksums.hex("MD5", archive))) {
        progress.accept("Downloading CIFAR-10 from " + url + " to " + cache);
        download(archive);
      }
      String actual = Checksums.hex("MD5", archive);
      if (!md5.equals(actual)) {
        Files.deleteIfExists(archive);
        throw new DataException(
            "Downloaded "
                + url
                + " has MD5 "
                + actual
                + ", expected "
                + md5
                + ": the download is corrupt or not the CIFAR-10 binary archive; it was deleted");
      }
      progress.accept("Extracting " + archive);
      extract(archive, batches);
      return batches;
    } catch (IOException e) {
      throw new DataException(
          "Cannot download CIFAR-10 from "
              + url
              + " ("
              + e
              + "). Without a network,"
              + " put the binary version's files ("
              + String.join(", ", Cifar10Files.TRAIN_FILES)
              + ", "
              + Cifar10Files.TEST_FILE
              + ", "
              + Cifar10Files.META_FILE
              + ") into "
              + batches
              + ", or point cifar.data (or CIFAR10_HOME) at a directory holding them",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataException("Download of " + url + " was interrupted", e);
    }
  }

  private void download(Path archive) throws IOException, InterruptedException {
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(30)).GET().build();
    HttpResponse<InputStream> response =
        client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      AtomicFiles.write(archive, out -> body.transferTo(out));
    }
  }

  private static void extract(Path archive, Path batches) throws IOException {
    Path staging = Files.createTempDirectory(batches.getParent(), ".extract-");
    try {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(archive));
          TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
        for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
          Path target = staging.resolve(entry.getName()).normalize();
          if (!target.startsWith(staging)) {
            throw new DataException(
                archive + " has an entry outside its directory: " + entry.getName());
          }
          if (entry.isDirectory()) {
            Files.createDirectories(target);
          } else if (entry.isFile()) {
            Files.createDirectories(target.getParent());
            try (OutputStream out = Files.newOutputStream(target)) {
              tar.transferTo(out);
            }
          }
        }
      }
      Path extracted = staging.resolve(Cifar10Files.BATCHES_DIR);
      if (!Files.isDirectory(extracted)) {
        throw new DataException(archive + " holds no " + Cifar10Files.BATCHES_DIR + "/ directory");
      }
      AtomicFiles.move(extracted, batches);
    } finally {
      AtomicFiles.deleteTree(staging);
    }
  }

  /** Builds a {@link Cifar10Download}. */
  public static final class Builder {
    private URI url = URI.create(Cifar10Files.ARCHIVE_URL);
    private String md5 = Cifar10Files.ARCHIVE_MD5;
    private Path cache;
    private Duration timeout = Duration.ofSeconds(20);

    private Builder() {}

    /**
     * Sets the cache directory the archive is kept and extracted in.
     *
     * @param cache the directory, e.g. {@link DataLocation#defaultCache()}
     * @return this builder
     */
    public Builder setCache(Path cache) {
      this.cache = cache;
      return this;
    }

    /**
     * Overrides the archive address (a mirror).
     *
     * @param url the address of a {@code cifar-10-binary.tar.gz}
     * @return this builder
     */
    public Builder optUrl(URI url) {
      this.url = url;
      return this;
    }

    /**
     * Overrides the expected MD5 of the archive.
     *
     * @param md5 lower-case hex
     * @return this builder
     */
    public Builder optMd5(String md5) {
      this.md5 = md5;
      return this;
    }

    /**
     * Sets how long to wait for a connection.
     *
     * @param timeout the connect timeout
     * @return this builder
     */
    public Builder optConnectTimeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * Builds the downloader.
     *
     * @return the downloader
     */
    public Cifar10Download build() {
      return new Cifar10Download(this);
    }
  }
}
