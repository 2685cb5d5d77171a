package dev.cifar.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Repairs what libtorch 2.7.1's oneDNN believes about the CPU caches, where a hypervisor hides
 * them.
 *
 * <p>oneDNN sizes the blocks of its convolution kernels by the per-core L1 and L2 caches, which its
 * copy of Xbyak reads from the CPU. On AMD, the Xbyak in oneDNN 3.7.1 (the one libtorch 2.7.1, and
 * so DJL 0.36, carries) reads CPUID leaf 0x8000001D and nothing else, and takes each field as one
 * more than it says. Some hypervisors (this project's AMD EPYC machines among them) hide that leaf:
 * every field reads 0, so every cache reads as 1 byte. With 1-byte caches oneDNN refuses its brgemm
 * convolution kernels without a word and runs the older direct ones with degenerate blocks, at half
 * the speed, and some of those compute wrong (see {@link ConvolutionLayouts}). oneDNN 3.12 (torch
 * 2.13) on the same machine finds no cache description and uses its built-in defaults instead (32
 * KiB, 512 KiB and 1 MiB per core).
 *
 * <p>The repair makes oneDNN 3.7.1 do the same: when its CPU description (the object behind {@code
 * dnnl::impl::cpu::x64::cpu()}, found through libtorch's symbol table) says three cache levels of 1
 * byte each, it sets the number of levels to 0, which oneDNN answers with its defaults. It writes
 * one int through {@code /proc/self/mem}, once, before any convolution runs ({@link
 * Engines#pytorch()}), and only after the object's layout has been recognised: its size, its
 * constructed flag and the CPU family and model it holds must all match. Anything else leaves
 * oneDNN as it is and says why. The system property {@value #PROPERTY}{@code =keep} turns it off.
 */
public final class OneDnnCaches {

  /** The system property that turns the repair off with {@code keep}. */
  public static final String PROPERTY = "cifar.oneDnnCaches";

  /** What was found, and done. */
  public enum State {
    /** oneDNN reads real cache sizes here, or is not the libtorch build this knows. */
    NOT_NEEDED,
    /** oneDNN read 1-byte caches and now uses its defaults. */
    REPAIRED,
    /** oneDNN reads 1-byte caches, and {@value #PROPERTY}=keep left it so. */
    KEPT,
    /** oneDNN reads 1-byte caches, and the repair could not be made. */
    FAILED
  }

  /**
   * The outcome.
   *
   * @param state what was found and done
   * @param message one line for the log: what oneDNN read and what it uses now
   */
  public record Outcome(State state, String message) {}

  static final String CPU_SYMBOL = "_ZZN4dnnl4impl3cpu3x643cpuEvE4cpu_";
  static final String GUARD_SYMBOL = "_ZGVZN4dnnl4impl3cpu3x643cpuEvE4cpu_";

  /** Xbyak::util::Cpu in oneDNN 3.7.1: its size and the offsets of the fields read or written. */
  static final int CPU_SIZE = 144;

  static final int CACHE_SIZES = 28;
  static final int CACHE_LEVELS = 108;
  static final int DISPLAY_FAMILY = 136;
  static final int DISPLAY_MODEL = 140;

  private static final String LIBRARY = "libtorch_cpu.so";

  private static Outcome outcome;
  private static boolean reported;

  private OneDnnCaches() {}

  /**
   * Repairs oneDNN's cache sizes once per process, where they read as 1 byte. Call it after the
   * engine has loaded and before any convolution runs.
   *
   * @return what was found and done
   */
  static synchronized Outcome repairOnce() {
    if (outcome == null) {
      outcome =
          repair(
              CpuInfo.current(),
              Path.of("/proc/self/maps"),
              Path.of("/proc/self/mem"),
              OneDnnCaches::describeCpu,
              "keep".equals(System.getProperty(PROPERTY)));
    }
    return outcome;
  }

  /**
   * @return the outcome of the repair in this process, or null before the engine started
   */
  public static synchronized Outcome outcome() {
    return outcome;
  }

  /**
   * Tells a run, in one line, what the repair found where oneDNN read 1-byte caches: as information
   * when repaired, as a warning when kept or not repairable; nothing elsewhere, nor a second time
   * in the same process.
   *
   * @param info receives the line of a repair
   * @param warning receives the line when oneDNN still reads 1-byte caches
   */
  public static synchronized void report(Consumer<String> info, Consumer<String> warning) {
    if (outcome == null || outcome.state() == State.NOT_NEEDED || reported) {
      return;
    }
    reported = true;
    Outcome done = outcome;
    (done.state() == State.REPAIRED ? info : warning).accept(done.message());
  }

  /**
   * Has oneDNN describe the CPU, which it does once, lazily: libtorch asks it whether it could
   * multiply float32 matrices itself, before any convolution.
   */
  private static void describeCpu() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), Engines.ENGINE)) {
      NDArray a = manager.ones(new Shape(64, 64));
      a.matMul(a).sum().getFloat();
    }
  }

  /**
   * The repair, on given process files.
   *
   * @param cpu the CPU
   * @param maps the process's mappings
   * @param memory the process's memory
   * @param describeCpu makes oneDNN describe the CPU when it has not yet
   * @param keep whether to leave 1-byte caches as they are ({@value #PROPERTY}=keep)
   * @return what was found and done
   */
  static Outcome repair(CpuInfo cpu, Path maps, Path memory, Runnable describeCpu, boolean keep) {
    if (!cpu.amd()) {
      return new Outcome(
          State.NOT_NEEDED, "oneDNN reads the caches of non-AMD CPUs through leaf 4");
    }
    try {
      Mapping library = library(Files.readAllLines(maps));
      if (library == null) {
        return new Outcome(State.NOT_NEEDED, "no " + LIBRARY + " is loaded");
      }
      Map<String, ElfSymbols.Symbol> symbols =
          ElfSymbols.find(library.file(), Set.of(CPU_SYMBOL, GUARD_SYMBOL));
      ElfSymbols.Symbol description = symbols.get(CPU_SYMBOL);
      ElfSymbols.Symbol guard = symbols.get(GUARD_SYMBOL);
      if (description == null || guard == null || description.size() != CPU_SIZE) {
        return new Outcome(
            State.NOT_NEEDED,
            LIBRARY + " is not the oneDNN 3.7.1 build whose CPU description this knows");
      }
      long address = library.base() + description.value();
      if (!Files.isReadable(memory)) {
        throw new IOException(memory + " cannot be read");
      }
      try (RandomAccessFile mem = new RandomAccessFile(memory.toFile(), "rw")) {
        long constructed = library.base() + guard.value();
        if (read(mem, constructed, 1).get(0) == 0) {
          describeCpu.run();
        }
        ByteBuffer seen = read(mem, address, CPU_SIZE);
        if (read(mem, constructed, 1).get(0) == 0
            || seen.getInt(DISPLAY_FAMILY) != cpu.family()
            || seen.getInt(DISPLAY_MODEL) != cpu.modelNumber()) {
          return new Outcome(
              State.NOT_NEEDED,
              "oneDNN's CPU description in " + LIBRARY + " does not have the expected layout");
        }
        int levels = seen.getInt(CACHE_LEVELS);
        List<Integer> sizes =
            List.of(
                seen.getInt(CACHE_SIZES),
                seen.getInt(CACHE_SIZES + 4),
                seen.getInt(CACHE_SIZES + 8));
        if (levels == 0) {
          return new Outcome(State.NOT_NEEDED, "oneDNN uses its default cache sizes here");
        }
        if (levels != 3 || !sizes.equals(List.of(1, 1, 1))) {
          return new Outcome(
              State.NOT_NEEDED,
              String.format(
                  Locale.ROOT,
                  "oneDNN reads the caches as %d KiB L1, %d KiB L2, %d KiB L3",
                  sizes.get(0) / 1024,
                  sizes.get(1) / 1024,
                  sizes.get(2) / 1024));
        }
        String found =
            "oneDNN 3.7.1 in libtorch reads every cache of this CPU as 1 byte (the hypervisor"
                + " hides CPUID leaf 0x8000001D)";
        if (keep) {
          return new Outcome(
              State.KEPT,
              found
                  + "; kept so ("
                  + PROPERTY
                  + "=keep): its convolutions run the slower direct kernels");
        }
        write(mem, address + CACHE_LEVELS, 0);
        if (read(mem, address + CACHE_LEVELS, 4).getInt(0) != 0) {
          return new Outcome(State.FAILED, found + "; the repair did not hold");
        }
        return new Outcome(
            State.REPAIRED,
            found
                + "; set to unknown, so oneDNN uses its defaults (32 KiB L1, 512 KiB L2, 1 MiB"
                + " L3 per core) and its brgemm convolution kernels, as oneDNN 3.12 does here");
      }
    } catch (IOException | RuntimeException e) {
      return new Outcome(
          State.FAILED, "oneDNN's cache sizes could not be checked or repaired: " + e.getMessage());
    }
  }

  /** The file of a loaded library and the address it is loaded at. */
  record Mapping(Path file, long base) {}

  /**
   * Finds libtorch's CPU library among a process's mappings ({@code /proc/<pid>/maps} lines).
   *
   * @param lines the mappings
   * @return the library and its base (where its file offset 0 is mapped), or null
   */
  static Mapping library(List<String> lines) {
    for (String line : lines) {
      String[] fields = line.trim().split("\\s+", 6);
      if (fields.length < 6 || !fields[5].endsWith("/" + LIBRARY)) {
        continue;
      }
      if (Long.parseUnsignedLong(fields[2], 16) != 0) {
        continue;
      }
      long start = Long.parseUnsignedLong(fields[0].substring(0, fields[0].indexOf('-')), 16);
      return new Mapping(Path.of(fields[5]), start);
    }
    return null;
  }

  private static ByteBuffer read(RandomAccessFile mem, long address, int size) throws IOException {
    byte[] bytes = new byte[size];
    mem.seek(address);
    mem.readFully(bytes);
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void write(RandomAccessFile mem, long address, int value) throws IOException {
    mem.seek(address);
    mem.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
  }
}
