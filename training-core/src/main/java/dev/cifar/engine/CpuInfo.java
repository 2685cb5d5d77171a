package dev.cifar.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the CPU offers the convolutions, as Linux reports it: the model name and the vector
 * extensions that decide oneDNN's kernels (AMX, AVX-512 with BF16, AVX-512, AVX2), and the cap
 * {@value #ISA_CAP} puts on what oneDNN may use. Log lines, skipped tests and benchmark results
 * name the CPU with {@link #describe()}.
 *
 * @param model the model name, or "unknown CPU"
 * @param vendor the vendor id ({@code AuthenticAMD}, {@code GenuineIntel}), or "" when unknown
 * @param family the CPU family number as Linux shows it (26 for AMD's Zen 5), or -1
 * @param modelNumber the model number within the family, or -1
 * @param flags the CPU flags
 * @param isaCap the value of {@value #ISA_CAP}, or null when oneDNN may use all of them
 */
public record CpuInfo(
    String model, String vendor, int family, int modelNumber, Set<String> flags, String isaCap) {

  /** oneDNN's environment variable capping the instruction sets its kernels use. */
  public static final String ISA_CAP = "ONEDNN_MAX_CPU_ISA";

  private static final CpuInfo CURRENT = read(Path.of("/proc/cpuinfo"), System.getenv(ISA_CAP));

  /**
   * @return this machine's CPU, read once
   */
  public static CpuInfo current() {
    return CURRENT;
  }

  /**
   * Reads a {@code /proc/cpuinfo}-format file.
   *
   * @param file the file; when it cannot be read, the CPU is unknown and has no flags
   * @param isaCap the ISA cap in effect, or null
   * @return what it says about the first processor
   */
  static CpuInfo read(Path file, String isaCap) {
    String model = "unknown CPU";
    String vendor = "";
    int family = -1;
    int number = -1;
    Set<String> flags = Set.of();
    try {
      for (String line : Files.readAllLines(file)) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String key = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim();
        if (key.equals("model name") && model.equals("unknown CPU")) {
          model = value;
        } else if (key.equals("vendor_id") && vendor.isEmpty()) {
          vendor = value;
        } else if (key.equals("cpu family") && family < 0) {
          family = number(value);
        } else if (key.equals("model") && number < 0) {
          number = number(value);
        } else if (key.equals("flags") && flags.isEmpty()) {
          flags = Set.of(value.split("\\s+"));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or no procfs: an unknown CPU
    }
    return new CpuInfo(
        model,
        vendor,
        family,
        number,
        flags,
        isaCap == null || isaCap.isBlank() ? null : isaCap.trim());
  }

  private static int number(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * @return whether the vendor is AMD
   */
  public boolean amd() {
    return vendor.equals("AuthenticAMD");
  }

  /**
   * Names the CPU for a log line or a result: model (with family and model number when Linux shows
   * them), the extensions that matter for convolutions, and the ISA cap when one is set.
   *
   * @return e.g. {@code AMD EPYC (family 25 model 1; avx2; no amx, no avx512_bf16, no avx512)}
   */
  public String describe() {
    List<String> has = new ArrayList<>();
    List<String> lacks = new ArrayList<>();
    String[][] extensions = {
      {"amx_bf16", "amx"}, {"avx512_bf16", "avx512_bf16"}, {"avx512f", "avx512"}, {"avx2", "avx2"}
    };
    for (String[] extension : extensions) {
      (flags.contains(extension[0]) ? has : lacks).add(extension[1]);
    }
    String cap = isaCap == null ? "" : ", " + ISA_CAP + "=" + isaCap;
    String lacking =
        lacks.isEmpty() ? "" : (has.isEmpty() ? "no " : "; no ") + String.join(", no ", lacks);
    String numbers = family < 0 ? "" : "family " + family + " model " + modelNumber + "; ";
    return model + " (" + numbers + String.join(", ", has) + lacking + cap + ")";
  }
}
