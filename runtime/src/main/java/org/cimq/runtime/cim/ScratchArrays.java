package org.cimq.runtime.cim;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One float[] and one long[] a kernel keeps from run to run, so that a layer's output accumulator and input bit planes
 * (megabytes per batch) are not allocated, zeroed by the JVM and faulted in again on every call. A run takes the array
 * (it is then nobody else's: a concurrent run of the same kernel finds the slot empty and gets a new array) and gives
 * it back when done. Only an array of exactly the requested length is reused; {@code zeroed} says whether the caller
 * needs every element to be 0 (a reused array holds the previous run's values otherwise).
 */
final class ScratchArrays {
    private final AtomicReference<float[]> floats = new AtomicReference<>();
    private final AtomicReference<long[]> longs = new AtomicReference<>();

    float[] floats(int length, boolean zeroed) {
        float[] a = floats.getAndSet(null);
        if (a == null || a.length != length) {
            return new float[length];
        }
        if (zeroed) {
            Arrays.fill(a, 0f);
        }
        return a;
    }

    long[] longs(int length, boolean zeroed) {
        long[] a = longs.getAndSet(null);
        if (a == null || a.length != length) {
            return new long[length];
        }
        if (zeroed) {
            Arrays.fill(a, 0L);
        }
        return a;
    }

    /** Hands {@code a} back for the next run (it must no longer be read or written by this one). */
    void giveBack(float[] a) {
        floats.set(a);
    }

    void giveBack(long[] a) {
        longs.set(a);
    }
}
