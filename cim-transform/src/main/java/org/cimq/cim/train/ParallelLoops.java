package org.cimq.cim.train;

import java.util.stream.IntStream;

/**
 * Elementwise loops of the fake-quant backward split over the machine's cores (the common fork-join pool and the
 * caller): every element is computed as the serial loop computes it, so the results are the same bit for bit.
 */
final class ParallelLoops {
    /** Below this many elements a loop runs on the calling thread alone (splitting costs more than it saves). */
    static final int SERIAL_BELOW = 1 << 15;

    /** The body of a loop over [from, to). */
    interface Range {
        void run(int from, int to);
    }

    private ParallelLoops() {
    }

    /** Runs {@code body} over [0, n) in contiguous chunks, in parallel when n is large. */
    static void forRange(int n, Range body) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (n < SERIAL_BELOW || cores < 2) {
            body.run(0, n);
            return;
        }
        int parts = 4 * cores;
        IntStream.range(0, parts).parallel().forEach(k -> body.run((int) ((long) n * k / parts), (int) ((long) n * (k + 1) / parts)));
    }
}
