package org.cimq.runtime.kernels;

/**
 * Which code computes float convolutions: cimq's native AVX-512 convolution ({@link NativeConv})
 * where it loads and the CPU has AVX-512F, else ND4J's oneDNN call. The two agree to float
 * rounding; this switch exists so tests can run both and benchmarks can report which one ran. The
 * system property {@code cimq.native.conv=false} starts a process with it off (for A/B timings).
 */
public final class FloatConvNative {
    private static volatile boolean enabled = !"false".equals(System.getProperty("cimq.native.conv"));

    private FloatConvNative() {
    }

    /** Whether the native convolution is loaded and usable on this machine. */
    public static boolean available() {
        return NativeConv.loaded();
    }

    /** Whether Conv kernels use the native convolution now (available and not turned off). */
    public static boolean active() {
        return enabled && NativeConv.loaded();
    }

    /** Turns the native convolution on (where available) or off for every Conv kernel of this process. */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    /** Images the native convolution has computed in this process (summed over layers). */
    public static long nativeImages() {
        return NativeConv.IMAGES.sum();
    }

    /** One line: the convolution in use, or why the native one is not. */
    public static String status() {
        if (NativeConv.loaded() && !enabled) {
            return "nd4j (native convolution turned off)";
        }
        return NativeConv.status();
    }
}
