package org.cimq.runtime.cim;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Large working arrays the fused CIM kernels hand back after a run so that the next run of any layer
 * needing an array of the same length reuses it instead of allocating (and zeroing) a new one on the
 * caller's thread. Shared by all kernels: layers run one after another, and a network has few
 * distinct sizes (ResNet-20 at batch 100: three activation sizes), so a handful of arrays serves
 * every layer. Arrays come back with arbitrary contents. At most {@link #PER_LENGTH} arrays are kept
 * per (type, length) and at most {@link #MAX_BYTES} in all; what does not fit is left to the garbage
 * collector. Thread-safe: an array is held by one run at a time.
 */
final class ScratchArrays {
    /** Arrays kept per type and length (a run holds at most two of one kind at once, e.g. input values and sums). */
    static final int PER_LENGTH = 2;
    /** Bytes kept in all. */
    static final long MAX_BYTES = 256L << 20;

    private static final Map<Integer, Deque<float[]>> FLOATS = new HashMap<>();
    private static final Map<Integer, Deque<long[]>> LONGS = new HashMap<>();
    private static long bytes;

    private ScratchArrays() {
    }

    /** A float array of exactly {@code n} values, contents arbitrary. */
    static float[] floats(int n) {
        synchronized (ScratchArrays.class) {
            Deque<float[]> d = FLOATS.get(n);
            if (d != null && !d.isEmpty()) {
                bytes -= 4L * n;
                return d.pop();
            }
        }
        return new float[n];
    }

    /** A long array of exactly {@code n} values, contents arbitrary. */
    static long[] longs(int n) {
        synchronized (ScratchArrays.class) {
            Deque<long[]> d = LONGS.get(n);
            if (d != null && !d.isEmpty()) {
                bytes -= 8L * n;
                return d.pop();
            }
        }
        return new long[n];
    }

    /** Hands {@code a} back; the caller no longer uses it. */
    static synchronized void give(float[] a) {
        if (a != null && bytes + 4L * a.length <= MAX_BYTES) {
            Deque<float[]> d = FLOATS.computeIfAbsent(a.length, k -> new ArrayDeque<>());
            if (d.size() < PER_LENGTH) {
                d.push(a);
                bytes += 4L * a.length;
            }
        }
    }

    /** Hands {@code a} back; the caller no longer uses it. */
    static synchronized void give(long[] a) {
        if (a != null && bytes + 8L * a.length <= MAX_BYTES) {
            Deque<long[]> d = LONGS.computeIfAbsent(a.length, k -> new ArrayDeque<>());
            if (d.size() < PER_LENGTH) {
                d.push(a);
                bytes += 8L * a.length;
            }
        }
    }

    /** Bytes held now (for tests). */
    static synchronized long heldBytes() {
        return bytes;
    }
}
