package dev.cifar.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repair of oneDNN's cache sizes: on stand-in process files (a library with a symbol table, its
 * mapping, and memory holding oneDNN's CPU description), every case of what it may find, on any
 * CPU; and in this very process, that oneDNN reads real caches or has had them repaired.
 */
class OneDnnCachesTest {

  private static final long BASE = 0x4000;
  private static final long GUARD_AT = 0x100;
  private static final long CPU_AT = 0x200;
  private static final CpuInfo ZEN5 = cpu("AuthenticAMD", 26, 2);

  @TempDir Path dir;
  private Path library;
  private Path maps;
  private Path memory;

  @BeforeEach
  void aLibraryMappedAtItsBase() throws IOException {
    library = dir.resolve("libtorch_cpu.so");
    writeElf(
        library,
        Map.of(
            OneDnnCaches.GUARD_SYMBOL,
            new long[] {GUARD_AT, 8},
            OneDnnCaches.CPU_SYMBOL,
            new long[] {CPU_AT, OneDnnCaches.CPU_SIZE},
            OneDnnCaches.CPU_SYMBOL + "_other",
            new long[] {0x999, 4}));
    maps = dir.resolve("maps");
    Files.write(
        maps,
        List.of(
            "00001000-00002000 r--p 00000000 fe:00 7   /usr/lib/libc.so.6",
            "00005000-00006000 rw-p 00001000 fe:00 9   " + library,
            "00004000-00005000 r-xp 00000000 fe:00 9   " + library));
    memory = dir.resolve("mem");
  }

  @Test
  void oneByteCachesAreSetToUnknownSoOneDnnUsesItsDefaults() throws IOException {
    writeMemory(true, 3, 1, 1, 1, 26, 2);
    OneDnnCaches.Outcome outcome = OneDnnCaches.repair(ZEN5, maps, memory, () -> {}, false);
    assertThat(outcome.state()).isEqualTo(OneDnnCaches.State.REPAIRED);
    assertThat(outcome.message())
        .contains("as 1 byte", "0x8000001D", "32 KiB L1, 512 KiB L2, 1 MiB L3");
    assertThat(levels()).isZero();
    // a second look finds oneDNN on its defaults, and leaves it so
    assertThat(OneDnnCaches.repair(ZEN5, maps, memory, () -> {}, false).message())
        .contains("uses its default cache sizes");
  }

  @Test
  void keepLeavesThemAndWarns() throws IOException {
    writeMemory(true, 3, 1, 1, 1, 26, 2);
    OneDnnCaches.Outcome outcome = OneDnnCaches.repair(ZEN5, maps, memory, () -> {}, true);
    assertThat(outcome.state()).isEqualTo(OneDnnCaches.State.KEPT);
    assertThat(outcome.message()).contains(OneDnnCaches.PROPERTY + "=keep");
    assertThat(levels()).isEqualTo(3);
  }

  @Test
  void realCacheSizesAreLeftAlone() throws IOException {
    writeMemory(true, 3, 49152, 1 << 20, 32 << 20, 26, 2);
    OneDnnCaches.Outcome outcome = OneDnnCaches.repair(ZEN5, maps, memory, () -> {}, false);
    assertThat(outcome.state()).isEqualTo(OneDnnCaches.State.NOT_NEEDED);
    assertThat(outcome.message()).contains("48 KiB L1", "1024 KiB L2", "32768 KiB L3");
    assertThat(levels()).isEqualTo(3);
  }

  @Test
  void anUnrecognisedLayoutIsLeftAlone() throws IOException {
    // the family and model the object holds are not this CPU's: not the layout this knows
    writeMemory(true, 3, 1, 1, 1, 25, 1);
    OneDnnCaches.Outcome outcome = OneDnnCaches.repair(ZEN5, maps, memory, () -> {}, false);
    assertThat(outcome.state()).isEqualTo(OneDnnCaches.State.NOT_NEEDED);
    assertThat(outcome.message()).contains("expected layout");
    assertThat(levels()).isEqualTo(3);
  }

  @Test
  void oneDnnIsAskedToDescribeTheCpuWhenItHasNotYet() throws IOException {
    writeMemory(false, 3, 1, 1, 1, 26, 2);
    AtomicInteger asked = new AtomicInteger();
    OneDnnCaches.Outcome outcome =
        OneDnnCaches.repair(
            ZEN5,
            maps,
            memory,
            () -> {
              asked.incrementAndGet();
              writeUnchecked(true, 3, 1, 1, 1, 26, 2);
            },
            false);
    assertThat(asked).hasValue(1);
    assertThat(outcome.state()).isEqualTo(OneDnnCaches.State.REPAIRED);
  }

  @Test
  void aDescriptionNeverConstructedIsLeftAlone() throws IOException {
    writeMemory(false, 3, 1, 1, 1, 26, 2);
    OneDnnCaches.Outcome outcome = OneDnnCaches.repair(ZEN5, maps, memory, () -> {}, false);
    assertThat(outcome.state()).isEqualTo(OneDnnCaches.State.NOT_NEEDED);
    assertThat(levels()).isEqualTo(3);
  }

  @Test
  void otherCpusOtherLibrariesAndUnreadableMemory() throws IOException {
    assertThat(
            OneDnnCaches.repair(cpu("GenuineIntel", 6, 143), maps, memory, () -> {}, false).state())
        .isEqualTo(OneDnnCaches.State.NOT_NEEDED);
    Path none = dir.resolve("maps-without");
    Files.write(none, List.of("00001000-00002000 r--p 00000000 fe:00 7   /usr/lib/libc.so.6"));
    assertThat(OneDnnCaches.repair(ZEN5, none, memory, () -> {}, false).message())
        .contains("no libtorch_cpu.so");
    OneDnnCaches.Outcome unreadable = OneDnnCaches.repair(ZEN5, maps, memory, () -> {}, false);
    assertThat(unreadable.state()).isEqualTo(OneDnnCaches.State.FAILED);
    assertThat(unreadable.message()).contains("could not be checked");
    writeElf(library, Map.of(OneDnnCaches.CPU_SYMBOL, new long[] {CPU_AT, 160}));
    writeMemory(true, 3, 1, 1, 1, 26, 2);
    assertThat(OneDnnCaches.repair(ZEN5, maps, memory, () -> {}, false).message())
        .contains("not the oneDNN 3.7.1 build");
  }

  @Test
  void theLibraryIsWhereItsFirstByteIsMapped() {
    OneDnnCaches.Mapping found =
        OneDnnCaches.library(
            List.of(
                "7f00-7f10 rw-p 00001000 fe:00 9 /x/libtorch_cpu.so",
                "7e00-7e10 r-xp 00000000 fe:00 9 /x/libtorch_cpu.so",
                "7d00-7d10 r-xp 00000000 fe:00 9 /x/libtorch_cpu.so.bak"));
    assertThat(found).isEqualTo(new OneDnnCaches.Mapping(Path.of("/x/libtorch_cpu.so"), 0x7e00));
    assertThat(OneDnnCaches.library(List.of("7e00-7e10 r-xp 00000000 00:00 0 "))).isNull();
  }

  @Test
  void symbolsAreFoundByTheirWholeName() throws IOException {
    Map<String, ElfSymbols.Symbol> found =
        ElfSymbols.find(library, Set.of(OneDnnCaches.CPU_SYMBOL, "missing"));
    assertThat(found)
        .containsOnlyKeys(OneDnnCaches.CPU_SYMBOL)
        .containsEntry(
            OneDnnCaches.CPU_SYMBOL, new ElfSymbols.Symbol(CPU_AT, OneDnnCaches.CPU_SIZE));
    Path text = dir.resolve("text.so");
    Files.writeString(text, "not an ELF file, but long enough to hold the ELF header's 64 bytes..");
    assertThatThrownBy(() -> ElfSymbols.find(text, Set.of("x")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no 64-bit little-endian ELF file");
  }

  @Test
  void thisProcessReadsRealCachesOrHasThemRepaired() {
    Engines.pytorch();
    OneDnnCaches.Outcome outcome = OneDnnCaches.outcome();
    System.out.println(CpuInfo.current().describe() + ": " + outcome);
    if ("keep".equals(System.getProperty(OneDnnCaches.PROPERTY))) {
      assertThat(outcome.state()).isIn(OneDnnCaches.State.KEPT, OneDnnCaches.State.NOT_NEEDED);
      return;
    }
    assertThat(outcome.state()).isIn(OneDnnCaches.State.REPAIRED, OneDnnCaches.State.NOT_NEEDED);
    if (outcome.state() == OneDnnCaches.State.REPAIRED) {
      // the live description now says what the repair wrote
      assertThat(
              OneDnnCaches.repair(
                      CpuInfo.current(),
                      Path.of("/proc/self/maps"),
                      Path.of("/proc/self/mem"),
                      () -> {},
                      false)
                  .message())
          .contains("uses its default cache sizes");
    }
  }

  private static CpuInfo cpu(String vendor, int family, int model) {
    return new CpuInfo("test CPU", vendor, family, model, Set.of("avx2"), null);
  }

  private int levels() throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(memory)).order(ByteOrder.LITTLE_ENDIAN);
    return bytes.getInt((int) (BASE + CPU_AT + OneDnnCaches.CACHE_LEVELS));
  }

  private void writeUnchecked(
      boolean constructed, int levels, int l1, int l2, int l3, int family, int model) {
    try {
      writeMemory(constructed, levels, l1, l2, l3, family, model);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void writeMemory(
      boolean constructed, int levels, int l1, int l2, int l3, int family, int model)
      throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate((int) (BASE + 0x400)).order(ByteOrder.LITTLE_ENDIAN);
    bytes.put((int) (BASE + GUARD_AT), (byte) (constructed ? 1 : 0));
    int at = (int) (BASE + CPU_AT);
    bytes.putInt(at + OneDnnCaches.CACHE_SIZES, l1);
    bytes.putInt(at + OneDnnCaches.CACHE_SIZES + 4, l2);
    bytes.putInt(at + OneDnnCaches.CACHE_SIZES + 8, l3);
    bytes.putInt(at + OneDnnCaches.CACHE_LEVELS, levels);
    bytes.putInt(at + OneDnnCaches.DISPLAY_FAMILY, family);
    bytes.putInt(at + OneDnnCaches.DISPLAY_MODEL, model);
    Files.write(memory, bytes.array());
  }

  /** A 64-bit little-endian ELF file with a null section, a symbol table and its strings. */
  static void writeElf(Path file, Map<String, long[]> symbols) throws IOException {
    ByteArrayOutputStream names = new ByteArrayOutputStream();
    names.write(0);
    ByteBuffer table =
        ByteBuffer.allocate(24 * (symbols.size() + 1)).order(ByteOrder.LITTLE_ENDIAN);
    table.position(24);
    for (Map.Entry<String, long[]> symbol : new LinkedHashMap<>(symbols).entrySet()) {
      table.putInt(names.size()).put((byte) 1).put((byte) 0).putShort((short) 28);
      table.putLong(symbol.getValue()[0]).putLong(symbol.getValue()[1]);
      names.write(symbol.getKey().getBytes(StandardCharsets.US_ASCII));
      names.write(0);
    }
    int sections = 64;
    int symtabAt = sections + 3 * 64;
    int strtabAt = symtabAt + table.capacity();
    ByteBuffer elf = ByteBuffer.allocate(strtabAt + names.size()).order(ByteOrder.LITTLE_ENDIAN);
    elf.putInt(0, 0x464c457f).put(4, (byte) 2).put(5, (byte) 1).put(6, (byte) 1);
    elf.putLong(0x28, sections).putShort(0x3a, (short) 64).putShort(0x3c, (short) 3);
    int symtab = sections + 64;
    elf.putInt(symtab + 4, 2).putLong(symtab + 0x18, symtabAt);
    elf.putLong(symtab + 0x20, table.capacity()).putInt(symtab + 0x28, 2);
    int strtab = sections + 128;
    elf.putInt(strtab + 4, 3).putLong(strtab + 0x18, strtabAt);
    elf.putLong(strtab + 0x20, names.size());
    elf.put(symtabAt, table.array()).put(strtabAt, names.toByteArray());
    Files.write(file, elf.array());
  }
}
