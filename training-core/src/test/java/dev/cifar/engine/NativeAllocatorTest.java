package dev.cifar.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The allocator settings, in this very process: memory a thread frees stays in the process, so the
 * same allocations again do not fault their pages in anew (glibc deleting a secondary arena's heap
 * would, whatever the trim threshold says).
 */
class NativeAllocatorTest {

  private static final int BLOCKS = 3;
  private static final long BLOCK = 40L << 20;
  private static final int ROUNDS = 3;

  @Test
  void aThreadsFreedBlocksAreReusedWithoutFaultingAgain() throws InterruptedException {
    assumeTrue(Platform.isLinux(), "glibc's allocator and /proc/self/stat are Linux's");
    for (String variable :
        List.of(
            "MALLOC_MMAP_MAX_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_ARENA_MAX")) {
      assumeTrue(
          System.getenv(variable) == null, variable + " is set: the environment decides instead");
    }
    assertThat(NativeAllocator.keepFreedMemory(line -> {})).isTrue();

    // a fresh thread, so a secondary arena, as libtorch's OpenMP threads use: each 40 MB block
    // needs a heap of its own there
    long[] faults = new long[ROUNDS];
    Thread thread =
        new Thread(
            () -> {
              for (int round = 0; round < ROUNDS; round++) {
                long before = minorFaults();
                List<Long> blocks = new ArrayList<>();
                for (int b = 0; b < BLOCKS; b++) {
                  long address = Native.malloc(BLOCK);
                  assertThat(address).isNotZero();
                  new Pointer(address).setMemory(0, BLOCK, (byte) 1);
                  blocks.add(address);
                }
                for (int b = BLOCKS - 1; b >= 0; b--) {
                  Native.free(blocks.get(b));
                }
                faults[round] = minorFaults() - before;
              }
            });
    thread.start();
    thread.join();

    long pages = BLOCKS * BLOCK / 4096;
    // the first round may fault up to every page in; the later ones find them in the process
    for (int round = 1; round < ROUNDS; round++) {
      assertThat(faults[round])
          .as(
              "page faults in round %d of %d 4 KiB pages (rounds: %s)",
              round + 1, pages, java.util.Arrays.toString(faults))
          .isLessThan(pages / 20);
    }
  }

  private static long minorFaults() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // after "pid (comm) ": state, ppid, pgrp, session, tty, tpgid, flags, minflt
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[7]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
