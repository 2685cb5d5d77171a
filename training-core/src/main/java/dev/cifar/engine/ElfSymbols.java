package dev.cifar.engine;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Looks symbols up in the full symbol table ({@code .symtab}) of a 64-bit little-endian ELF file,
 * the table that also lists a shared library's internal symbols. {@link OneDnnCaches} finds the
 * place of oneDNN's CPU description inside libtorch with it.
 */
final class ElfSymbols {

  /** Where a symbol lies: its value (an address relative to the library's base) and size. */
  record Symbol(long value, long size) {}

  private static final int SHT_SYMTAB = 2;
  private static final int SYMBOL_SIZE = 24;

  private ElfSymbols() {}

  /**
   * Finds symbols by their (mangled) names.
   *
   * @param file an ELF file
   * @param names the names looked for
   * @return the symbols found, by name; the names not in the table are missing from the map
   * @throws IOException when the file cannot be read, is no 64-bit little-endian ELF file or has no
   *     symbol table
   */
  static Map<String, Symbol> find(Path file, Set<String> names) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      MappedByteBuffer header = map(channel, 0, 64);
      if (header.getInt(0) != 0x464c457f || header.get(4) != 2 || header.get(5) != 1) {
        throw new IOException(file + " is no 64-bit little-endian ELF file");
      }
      long sectionsAt = header.getLong(0x28);
      int sectionSize = Short.toUnsignedInt(header.getShort(0x3a));
      int sections = Short.toUnsignedInt(header.getShort(0x3c));
      MappedByteBuffer table = map(channel, sectionsAt, (long) sectionSize * sections);
      for (int i = 0; i < sections; i++) {
        int at = i * sectionSize;
        if (table.getInt(at + 4) != SHT_SYMTAB) {
          continue;
        }
        int strings = table.getInt(at + 0x28) * sectionSize;
        MappedByteBuffer symbols = map(channel, table.getLong(at + 0x18), table.getLong(at + 0x20));
        MappedByteBuffer text =
            map(channel, table.getLong(strings + 0x18), table.getLong(strings + 0x20));
        return scan(symbols, text, names);
      }
      return Map.of();
    }
  }

  private static Map<String, Symbol> scan(
      MappedByteBuffer symbols, MappedByteBuffer text, Set<String> names) {
    Map<String, byte[]> wanted = new HashMap<>();
    for (String name : names) {
      wanted.put(name, name.getBytes(StandardCharsets.US_ASCII));
    }
    Map<String, Symbol> found = new HashMap<>();
    int count = symbols.capacity() / SYMBOL_SIZE;
    for (int i = 0; i < count && found.size() < wanted.size(); i++) {
      int at = i * SYMBOL_SIZE;
      int name = symbols.getInt(at);
      for (Map.Entry<String, byte[]> entry : wanted.entrySet()) {
        if (!found.containsKey(entry.getKey()) && named(text, name, entry.getValue())) {
          found.put(entry.getKey(), new Symbol(symbols.getLong(at + 8), symbols.getLong(at + 16)));
        }
      }
    }
    return found;
  }

  private static boolean named(MappedByteBuffer text, int at, byte[] name) {
    if (at < 0 || at + name.length >= text.capacity()) {
      return false;
    }
    for (int i = 0; i < name.length; i++) {
      if (text.get(at + i) != name[i]) {
        return false;
      }
    }
    return text.get(at + name.length) == 0;
  }

  private static MappedByteBuffer map(FileChannel channel, long at, long size) throws IOException {
    if (at < 0 || size < 0 || size > Integer.MAX_VALUE || at + size > channel.size()) {
      throw new IOException("a section lies outside the file");
    }
    MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, at, size);
    buffer.order(ByteOrder.LITTLE_ENDIAN);
    return buffer;
  }
}
