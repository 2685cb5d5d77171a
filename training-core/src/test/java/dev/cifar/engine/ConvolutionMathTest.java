package dev.cifar.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.cifar.testing.PrecisionChild;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * bfloat16 convolutions: asked for, measured, reported. Each case runs in a child process
 * without {@value ConvolutionMath#VARIABLE}, since the mode, once on, stays on for the process
 * (the test JVMs themselves keep float32). What the CPU can do decides what is expected: with
 * AMX, bfloat16; without, float32 and a warning that says so.
 */
class ConvolutionMathTest {

    private static final boolean BF16_CPU = cpuHasBfloat16();

    @Test
    void float32StaysFloat32() throws Exception {
        assertThat(child("apply", "float32")).containsExactly("effective float32");
    }

    @Test
    void bfloat16IsMeasuredAndALaterFloat32RunInTheSameProcessIsWarned() throws Exception {
        List<String> lines = child("apply", "bfloat16", "float32");
        if (BF16_CPU) {
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).isEqualTo("effective bfloat16");
            assertThat(lines.get(1)).startsWith("warning cifar.precision=float32, but convolutions in this process"
                    + " compute in bfloat16");
            assertThat(lines.get(2)).isEqualTo("effective bfloat16");
        } else {
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).startsWith("warning cifar.precision=bfloat16, but this CPU computes"
                    + " convolutions in float32");
            assertThat(lines.subList(1, 3)).containsExactly("effective float32", "effective float32");
        }
    }

    @Test
    void theFastRecipeTrainsInBfloat16WhereTheCpuCanAndTheArtifactSaysSo() throws Exception {
        List<String> lines = child("train");
        String device = lines.stream().filter(l -> l.startsWith("device ")).findFirst().orElseThrow();
        double loss = Double.parseDouble(lines.stream().filter(l -> l.startsWith("loss ")).findFirst().orElseThrow()
                .substring(5));
        assertThat(loss).isFinite().isLessThan(2.3);
        if (BF16_CPU) {
            assertThat(device).endsWith(", bfloat16 convolutions");
            assertThat(lines).noneMatch(l -> l.startsWith("warning"));
        } else {
            assertThat(device).doesNotContain("bfloat16");
            assertThat(lines).anyMatch(l -> l.startsWith("warning cifar.precision=bfloat16"));
        }
    }

    @Test
    void onAGpuConvolutionsStayFloat32AndTheRunIsTold() {
        List<String> warnings = new ArrayList<>();
        Precision effective = ConvolutionMath.apply(Precision.BFLOAT16, Device.gpu(), line -> { }, warnings::add);
        assertThat(effective).isEqualTo(Precision.FLOAT32);
        assertThat(warnings).singleElement().asString().contains("applies to CPU convolutions");
    }

    /** Runs {@link PrecisionChild} without the test JVM's float32 setting; returns its lines. */
    private static List<String> child(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                PrecisionChild.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove(ConvolutionMath.VARIABLE);
        Process process = builder.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out.lines().filter(l -> l.startsWith("effective") || l.startsWith("warning") || l.startsWith("device")
                || l.startsWith("loss")).toList();
    }

    private static boolean cpuHasBfloat16() {
        try {
            String info = Files.readString(Path.of("/proc/cpuinfo"));
            return info.contains(" amx_bf16");
        } catch (IOException e) {
            return false;
        }
    }
}
