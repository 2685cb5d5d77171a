package dev.cifar.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.cifar.testing.SyntheticCifar;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10DownloadTest {

  @TempDir Path tmp;

  private HttpServer server;
  private byte[] archive;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void serveArchive() throws IOException {
    Path source = SyntheticCifar.writeDirectory(tmp.resolve("source"), 4, 4, 5);
    archive = tarGz(source);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/cifar-10-binary.tar.gz",
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(200, archive.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(archive);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI url() {
    return URI.create(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/cifar-10-binary.tar.gz");
  }

  @Test
  void downloadsVerifiesAndExtractsOnceIntoTheCache() {
    Path cache = tmp.resolve("cache");
    Cifar10Download download =
        Cifar10Download.builder()
            .setCache(cache)
            .optUrl(url())
            .optMd5(Checksums.hex("MD5", archive))
            .build();
    Path dir = download.fetch(line -> {});
    assertThat(dir).isEqualTo(cache.resolve("cifar-10-batches-bin"));
    assertThat(Cifar10Reader.read(dir, w -> {}).train().size()).isEqualTo(20);
    assertThat(download.fetch(line -> {})).isEqualTo(dir);
    assertThat(requests).hasValue(1);
  }

  @Test
  void checksumMismatchLeavesNoDataBehind() throws IOException {
    Path cache = tmp.resolve("cache");
    Cifar10Download download =
        Cifar10Download.builder()
            .setCache(cache)
            .optUrl(url())
            .optMd5("00000000000000000000000000000000")
            .build();
    assertThatThrownBy(() -> download.fetch(line -> {}))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("MD5")
        .hasMessageContaining("expected 00000000000000000000000000000000");
    try (Stream<Path> left = Files.list(cache)) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void withoutNetworkTheMessageSaysWhereToPutTheFiles() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path cache = tmp.resolve("cache");
    Cifar10Download download =
        Cifar10Download.builder()
            .setCache(cache)
            .optUrl(URI.create("http://127.0.0.1:" + port + "/x.tar.gz"))
            .optConnectTimeout(Duration.ofSeconds(2))
            .build();
    assertThatThrownBy(() -> download.fetch(line -> {}))
        .isInstanceOf(DataException.class)
        .hasMessageContaining("Without a network")
        .hasMessageContaining(cache.resolve("cifar-10-batches-bin").toString())
        .hasMessageContaining("cifar.data");
  }

  private static byte[] tarGz(Path dir) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.sorted().toList()) {
          TarArchiveEntry entry =
              new TarArchiveEntry(file.toFile(), "cifar-10-batches-bin/" + file.getFileName());
          tar.putArchiveEntry(entry);
          Files.copy(file, tar);
          tar.closeArchiveEntry();
        }
      }
    }
    return bytes.toByteArray();
  }
}
