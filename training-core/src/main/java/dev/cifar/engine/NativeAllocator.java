package dev.cifar.engine;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.function.Consumer;

/**
 * Keeps glibc's allocator from handing large freed blocks back to the system. Every training
 * step of a convolutional network allocates and frees activations of tens of megabytes; by
 * default glibc serves each with a fresh {@code mmap} and returns it with {@code munmap}, so
 * every step pays page faults and zeroing for all of its memory again (measured here: about
 * half the speed of the {@code fast} network). {@code mallopt(M_MMAP_MAX, 0)} and a 2 GiB
 * {@code M_TRIM_THRESHOLD} keep that memory in the process for reuse: the same effect as the
 * environment variables {@code MALLOC_MMAP_MAX_=0} and {@code MALLOC_TRIM_THRESHOLD_}, applied
 * from inside the running JVM, so no user has to set them. Where either variable is set, or
 * the C library has no {@code mallopt} (not glibc), nothing changes.
 */
public final class NativeAllocator {

    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_MMAP_MAX = -4;
    private static boolean tuned;

    private NativeAllocator() {
    }

    /**
     * Applies the settings once per process.
     *
     * @param log receives one line saying what was done
     * @return whether the settings are in effect (set now, before, or by the environment)
     */
    public static synchronized boolean keepFreedMemory(Consumer<String> log) {
        if (tuned) {
            return true;
        }
        if (System.getenv("MALLOC_MMAP_MAX_") != null || System.getenv("MALLOC_TRIM_THRESHOLD_") != null) {
            log.accept("Native allocator: MALLOC_MMAP_MAX_/MALLOC_TRIM_THRESHOLD_ from the environment are kept");
            tuned = true;
            return true;
        }
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            Function mallopt = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("mallopt");
            boolean ok = mallopt.invokeInt(new Object[] {M_MMAP_MAX, 0}) == 1
                    && mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, Integer.MAX_VALUE}) == 1;
            tuned = ok;
            log.accept(ok ? "Native allocator: freed blocks stay in the process for reuse (glibc mallopt)"
                    : "Native allocator: glibc refused the mallopt settings; training runs with its defaults");
            return ok;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            log.accept("Native allocator: no glibc mallopt (" + e.getMessage() + "); training runs with the C"
                    + " library's defaults");
            return false;
        }
    }
}
