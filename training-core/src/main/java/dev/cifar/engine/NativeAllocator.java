package dev.cifar.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.function.Consumer;

/**
 * Keeps glibc's allocator from handing large freed blocks back to the system. Every training step
 * of a convolutional network allocates and frees activations of tens of megabytes; by default glibc
 * serves each with a fresh {@code mmap} and returns it with {@code munmap}, so every step pays page
 * faults and zeroing for all of its memory again (measured here: about half the speed of the {@code
 * fast} network). {@code mallopt(M_MMAP_MAX, 0)} and a 2 GiB {@code M_TRIM_THRESHOLD} keep that
 * memory in the process for reuse: the same effect as the environment variables {@code
 * MALLOC_MMAP_MAX_=0} and {@code MALLOC_TRIM_THRESHOLD_}, applied from inside the running JVM, so
 * no user has to set them. Where either variable is set, or the C library has no {@code mallopt}
 * (not glibc), nothing changes.
 *
 * <p>That is not enough for the largest activations (a batch of 1,024 through {@code fast}'s first
 * group is 250 MB): a JVM's threads allocate from glibc's secondary arenas, whose heaps end at 64
 * MB, and glibc serves a larger block there with {@code mmap} whatever {@code M_MMAP_MAX} says,
 * faulting in and zeroing every 4 KiB page anew on each step (a fifth of a step's time, in the
 * kernel, on a 2-core AMD EPYC). So the same call also sets {@value #THP} for libtorch, before it
 * loads: its CPU allocator then aligns blocks of 2 MiB and more to 2 MiB and asks for transparent
 * huge pages, 512 times fewer faults. A process started with {@code MALLOC_ARENA_MAX=1} serves
 * every thread from the main arena and needs neither.
 *
 * <p>A secondary arena grows by adding 64 MB heaps, and glibc deletes a whole heap ({@code munmap})
 * as soon as the blocks in it are freed and the heap before it has {@code M_TOP_PAD} (128 KiB by
 * default) to spare, whatever {@code M_TRIM_THRESHOLD} says. Freeing a step's activations then
 * unmaps memory the next step faults in again: on the 2-core AMD EPYC (Zen 5) the seed network's
 * backward pass took 11-15 ms instead of 4-5 ms in most epochs, with 500-1,100 page faults per
 * step, and which epochs were hit changed from run to run. A {@code M_TOP_PAD} of one heap, {@value
 * #TOP_PAD} bytes, keeps every heap (the in-process {@code MALLOC_TOP_PAD_}); it only enlarges the
 * address space reserved when the main arena grows, not the memory in use.
 */
public final class NativeAllocator {

  private static final int M_TRIM_THRESHOLD = -1;
  private static final int M_TOP_PAD = -2;
  private static final int M_MMAP_MAX = -4;

  /** The top pad that keeps secondary arenas' heaps: one heap, glibc's 64 MB on 64-bit. */
  static final int TOP_PAD = 64 << 20;

  /** libtorch's switch for 2 MiB-aligned CPU allocations with transparent huge pages. */
  static final String THP = "THP_MEM_ALLOC_ENABLE";

  private static boolean tuned;

  private NativeAllocator() {}

  /**
   * Applies the settings once per process; call it before the PyTorch engine loads.
   *
   * @param log receives one line saying what was done
   * @return whether the settings are in effect (set now, before, or by the environment)
   */
  public static synchronized boolean keepFreedMemory(Consumer<String> log) {
    if (tuned) {
      return true;
    }
    if (System.getenv("MALLOC_MMAP_MAX_") != null
        || System.getenv("MALLOC_TRIM_THRESHOLD_") != null
        || System.getenv("MALLOC_TOP_PAD_") != null) {
      log.accept(
          "Native allocator: MALLOC_MMAP_MAX_/MALLOC_TRIM_THRESHOLD_/MALLOC_TOP_PAD_ from the"
              + " environment are kept");
      tuned = true;
      return true;
    }
    if (!Platform.isLinux()) {
      return false;
    }
    try {
      NativeLibrary c = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
      if (System.getenv(THP) == null) {
        c.getFunction("setenv").invokeInt(new Object[] {THP, "1", 0});
      }
      Function mallopt = c.getFunction("mallopt");
      boolean ok =
          mallopt.invokeInt(new Object[] {M_MMAP_MAX, 0}) == 1
              && mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, Integer.MAX_VALUE}) == 1
              && mallopt.invokeInt(new Object[] {M_TOP_PAD, TOP_PAD}) == 1;
      tuned = ok;
      log.accept(
          ok
              ? "Native allocator: freed blocks stay in the process for reuse, large ones on huge pages"
              : "Native allocator: glibc refused the mallopt settings; training runs with its defaults");
      return ok;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      log.accept(
          "Native allocator: no glibc mallopt ("
              + e.getMessage()
              + "); training runs with the C"
              + " library's defaults");
      return false;
    }
  }
}
