package org.cimq.runtime;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float32 arrays of values that died during an {@link Executor#run}, kept for an
 * {@link OutputReusingKernel} later in the same run, or in the executor's next run, that needs
 * an output of the same length. Only arrays that span their whole buffer in c order are kept; the
 * executor adds an array only when no live value shares its buffer, and an array taken from here
 * belongs to its taker alone. Bounded: at most {@link #PER_LENGTH} arrays per length are kept, and
 * at the end of a run only as many per length as that run took (none for lengths nobody asked
 * for), so the pool never holds more than one run's worth of reused outputs. "Took" counts every request, met or
 * not: a run that wanted two arrays of a length and found one (allocating the other) keeps two for the next run, which
 * then allocates nothing.
 */
final class SpareArrays {
    /** Arrays kept per length during a run: a graph rarely needs more outputs of one length before one dies. */
    static final int PER_LENGTH = 4;
    private final Map<Long, ArrayDeque<INDArray>> byLength = new HashMap<>();
    private final Map<Long, Integer> taken = new HashMap<>();

    /** Whether {@code a} can be kept: float32, c order over its whole buffer ({@link NdArrays#isDenseFloat}), not empty. */
    static boolean keepable(INDArray a) {
        return !a.isEmpty() && NdArrays.isDenseFloat(a);
    }

    /** Keeps {@code a} unless {@link #PER_LENGTH} arrays of its length are kept already (then it is left to the GC). */
    void add(INDArray a) {
        ArrayDeque<INDArray> q = byLength.computeIfAbsent(a.length(), n -> new ArrayDeque<>());
        if (q.size() < PER_LENGTH) {
            q.push(a);
        }
    }

    /** A kept array's buffer as an array of {@code shape}, removed from the pool; null when none has that length. */
    INDArray take(long[] shape) {
        long length = 1;
        for (long d : shape) {
            length *= d;
        }
        ArrayDeque<INDArray> q = byLength.get(length);
        INDArray a = q == null ? null : q.poll();
        taken.merge(length, 1, Integer::sum);
        // a new array on the same buffer, not a reshape: a reshape wraps the buffer in a view, and an array
        // reused run after run would grow a chain of views that ND4J walks on every access (measured: half of
        // all CPU time after 500 runs)
        return a == null ? null : Nd4j.create(a.data(), shape);
    }

    /** Keeps, per length, at most as many arrays as were asked for since the last call; drops the rest. */
    void endRun() {
        byLength.entrySet().removeIf(e -> {
            int keep = taken.getOrDefault(e.getKey(), 0);
            while (e.getValue().size() > keep) {
                e.getValue().removeLast();
            }
            return keep == 0;
        });
        taken.clear();
    }

    /** Arrays kept now (for tests). */
    int size() {
        return byLength.values().stream().mapToInt(ArrayDeque::size).sum();
    }
}
