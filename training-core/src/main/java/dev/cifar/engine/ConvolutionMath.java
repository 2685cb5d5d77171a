package dev.cifar.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.function.Consumer;

/**
 * Chooses the arithmetic of libtorch's CPU convolutions. They run on oneDNN, which computes
 * float32 convolutions with bfloat16 inputs (float32 sums) when its default math mode is
 * {@code BF16}; on CPUs with AMX that is faster. The mode is read once per process, from the
 * environment variable {@value #VARIABLE}, when libtorch loads, so {@link #prepare} sets the
 * variable inside the running process before the engine loads, and {@link #apply} then
 * measures what the convolutions really do: a convolution of values that bfloat16 cannot hold
 * tells the two apart. The answer is what a run reports, never merely what it asked for. The
 * mode rounds the inputs of forward and input-gradient convolutions only; where it is in effect,
 * a run also computes the {@code fast} network's convolutions, weight gradients included,
 * entirely in bfloat16 ({@link Bfloat16Convolution}).
 */
public final class ConvolutionMath {

    /** oneDNN's environment variable for its default math mode. */
    static final String VARIABLE = "ONEDNN_DEFAULT_FPMATH_MODE";
    /** 1 + 2^-10: exact in float32, 1 in bfloat16 (8 significant bits). */
    private static final float PROBE = 1f + 1f / 1024;

    private ConvolutionMath() {
    }

    /**
     * Asks for bfloat16 convolutions for the rest of the process, when wanted and the environment
     * does not say otherwise; takes effect only if the PyTorch engine has not loaded yet.
     *
     * @param wanted the precision asked for
     */
    public static synchronized void prepare(Precision wanted) {
        if (wanted == Precision.BFLOAT16 && System.getenv(VARIABLE) == null) {
            setenv(VARIABLE, "BF16");
        }
    }

    /**
     * Asks for a precision on a device ({@link #prepare} first), and returns the one in effect.
     *
     * @param wanted the precision asked for
     * @param device the training device
     * @param info receives a line when bfloat16 is in effect as asked
     * @param warning receives a line when the precision in effect is not the one asked for
     * @return the precision the convolutions compute in
     */
    public static synchronized Precision apply(Precision wanted, Device device, Consumer<String> info,
            Consumer<String> warning) {
        if (device.isGpu()) {
            if (wanted == Precision.BFLOAT16) {
                warning.accept("cifar.precision=bfloat16 applies to CPU convolutions; on " + device
                        + " they compute in float32");
            }
            return Precision.FLOAT32;
        }
        prepare(wanted);
        Precision effective = probe();
        if (effective == wanted) {
            if (wanted == Precision.BFLOAT16) {
                info.accept("Convolutions compute in bfloat16 with float32 sums; weights, batch norm and the"
                        + " optimizer in float32 (cifar.precision)");
            }
        } else if (wanted == Precision.FLOAT32) {
            warning.accept("cifar.precision=float32, but convolutions in this process compute in bfloat16 ("
                    + VARIABLE + "=BF16 in the environment, or a bfloat16 run earlier in the same JVM), and this run"
                    + " will too: train in a fresh process for float32");
        } else {
            warning.accept("cifar.precision=bfloat16, but this CPU computes convolutions in float32 (no AMX, "
                    + VARIABLE + " set otherwise, or PyTorch loaded earlier in this process); the run goes on in"
                    + " float32");
        }
        return effective;
    }

    /**
     * Measures the precision of CPU convolutions now: an identity convolution of 1 + 2^-10.
     *
     * @return bfloat16 when the result is rounded to 1, else float32
     */
    public static Precision probe() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), Engines.pytorch().getEngineName())) {
            int channels = 16;
            float[] dirac = new float[channels * channels * 9];
            for (int c = 0; c < channels; c++) {
                dirac[(c * channels + c) * 9 + 4] = 1f;
            }
            NDArray weight = manager.create(dirac, new Shape(channels, channels, 3, 3));
            NDArray input = manager.full(new Shape(16, channels, 8, 8), PROBE);
            NDArray output = Conv2d.conv2d(input, weight, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1))
                    .singletonOrThrow();
            return output.getFloat(0, 0, 4, 4) == PROBE ? Precision.FLOAT32 : Precision.BFLOAT16;
        }
    }

    private static void setenv(String name, String value) {
        if (!Platform.isLinux() && !Platform.isMac()) {
            return;
        }
        try {
            Function setenv = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("setenv");
            setenv.invokeInt(new Object[] {name, value, 0});
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            // the probe then finds float32, and apply says so
        }
    }
}
