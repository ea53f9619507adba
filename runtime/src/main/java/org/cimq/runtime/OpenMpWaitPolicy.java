package org.cimq.runtime;

/**
 * Makes ND4J's OpenMP threads sleep instead of spin when they run out of work ({@code OMP_WAIT_POLICY=PASSIVE}), unless
 * the user set the variable. libgomp reads it once, when ND4J's native library loads it, so this must run before
 * anything touches ND4J (the CLI's {@code main} does it first, for the training commands). Why: by default libgomp's
 * idle threads spin for a while after each parallel ND4J operation, and on a 2-core machine that spinning takes a
 * core from the work cimq runs between ND4J operations on its own threads (the retraining backward's elementwise
 * loops, the CIM kernel's threads): {@code cimq bench train} measured 11.1–11.7 s per 1,000 images spinning and
 * 8.8–9.7 s passive. Float inference, whose ND4J operations come one after another, lost 4 % passive.
 */
public final class OpenMpWaitPolicy {
    static final String VARIABLE = "OMP_WAIT_POLICY";
    private static final NativeLibrary.Result LIB = NativeLibrary.load("libcimqenv.so");

    private OpenMpWaitPolicy() {
    }

    /** What {@link #passiveUnlessSet()} did: whether it set the variable, and the variable's value in a phrase. */
    public record Outcome(boolean applied, String description) {
    }

    /** Sets OMP_WAIT_POLICY=PASSIVE in this process's environment unless it is already set; never throws. */
    public static Outcome passiveUnlessSet() {
        if (!LIB.loaded()) {
            return new Outcome(false, "OMP_WAIT_POLICY left as it is (" + LIB.reason() + ")");
        }
        int r = setIfUnset0(VARIABLE, "PASSIVE");
        return switch (r) {
            case 1 -> new Outcome(true, "OMP_WAIT_POLICY=PASSIVE (set by cimq)");
            case 0 -> new Outcome(false, "OMP_WAIT_POLICY=" + get0(VARIABLE) + " (already set)");
            default -> new Outcome(false, "OMP_WAIT_POLICY left as it is (setenv failed)");
        };
    }

    /** The wait policy this process runs with, for benchmark footers: {@code OMP_WAIT_POLICY=X}, or that it is unset. */
    public static String describe() {
        if (!LIB.loaded()) {
            String v = System.getenv(VARIABLE);
            return v == null ? "OMP_WAIT_POLICY unset" : VARIABLE + "=" + v;
        }
        String v = get0(VARIABLE);
        return v == null ? "OMP_WAIT_POLICY unset (libgomp's default: idle threads spin)" : VARIABLE + "=" + v;
    }

    /** The variable's value in the process environment (which {@link System#getenv} does not see change), or null. */
    static String current(String name) {
        return get0(name);
    }

    static int setIfUnset(String name, String value) {
        return setIfUnset0(name, value);
    }

    private static native int setIfUnset0(String name, String value);

    private static native String get0(String name);
}
