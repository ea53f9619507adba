package org.cimq.runtime;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Float32 arrays of values that died during an {@link Executor#run}, kept for an
 * {@link OutputReusingKernel} later in the same run, or in the executor's next run, that needs
 * an output of the same length. Only arrays that span their whole buffer in c order are kept; the
 * executor adds an array only when no live value shares its buffer, and an array taken from here
 * belongs to its taker alone. At the end of a run, lengths nobody asked for in it are dropped, so
 * a run with another batch size does not leave arrays behind for good.
 */
final class SpareArrays {
    private final Map<Long, ArrayDeque<INDArray>> byLength = new HashMap<>();
    private final Set<Long> asked = new HashSet<>();

    /** Whether {@code a} can be kept: float32, c order over its whole buffer ({@link NdArrays#isDenseFloat}), not empty. */
    static boolean keepable(INDArray a) {
        return !a.isEmpty() && NdArrays.isDenseFloat(a);
    }

    void add(INDArray a) {
        byLength.computeIfAbsent(a.length(), n -> new ArrayDeque<>()).push(a);
    }

    /** A kept array reshaped to {@code shape}, removed from the pool; null when none has that length. */
    INDArray take(long[] shape) {
        long length = 1;
        for (long d : shape) {
            length *= d;
        }
        asked.add(length);
        ArrayDeque<INDArray> q = byLength.get(length);
        INDArray a = q == null ? null : q.poll();
        return a == null ? null : a.reshape('c', shape);
    }

    /** Drops the arrays of every length not asked for since the last call. */
    void endRun() {
        byLength.keySet().retainAll(asked);
        asked.clear();
    }
}
