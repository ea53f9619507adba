package org.cimq.runtime.cim;

/**
 * Which inner loop the fused CIM kernel runs for one-bit digits: the native AVX-512 loop
 * ({@link NativeOneBit}) where it loads and the CPU supports it, else the Java loop
 * ({@link OneBitAccumulate}). Both give bit-identical results; this switch exists so tests can
 * run both and benchmarks can report which one ran.
 */
public final class CimNative {
    private static volatile boolean enabled = true;

    private CimNative() {
    }

    /** Whether the native loop is loaded and usable on this machine. */
    public static boolean available() {
        return NativeOneBit.loaded();
    }

    /** Whether fused kernels use the native loop now (available and not turned off). */
    public static boolean active() {
        return enabled && NativeOneBit.loaded();
    }

    /** Turns the native loop on (where available) or off for every fused kernel of this process. */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    /** Blocks of positions the native loop has computed in this process (for tests and benchmarks). */
    public static long nativeBlocks() {
        return NativeOneBit.BLOCKS.sum();
    }

    /** One line: the loop in use, or why the native one is not. */
    public static String status() {
        if (NativeOneBit.loaded() && !enabled) {
            return "java (native kernel turned off)";
        }
        return NativeOneBit.status();
    }
}
