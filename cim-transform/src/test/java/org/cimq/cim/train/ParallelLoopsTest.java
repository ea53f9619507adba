package org.cimq.cim.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** {@link ParallelLoops#forRange} visits every index once, in contiguous chunks, split only above its threshold. */
class ParallelLoopsTest {
    @Test
    void everyIndexIsVisitedExactlyOnce() {
        for (int n : new int[] {0, 1, ParallelLoops.SERIAL_BELOW - 1, ParallelLoops.SERIAL_BELOW, 1_000_003}) {
            AtomicIntegerArray seen = new AtomicIntegerArray(n);
            ConcurrentHashMap<Integer, Integer> chunks = new ConcurrentHashMap<>();
            ParallelLoops.forRange(n, (from, to) -> {
                assertTrue(0 <= from && from <= to && to <= n, from + ".." + to);
                chunks.put(from, to);
                for (int i = from; i < to; i++) {
                    seen.incrementAndGet(i);
                }
            });
            for (int i = 0; i < n; i++) {
                assertEquals(1, seen.get(i), "n " + n + ", index " + i);
            }
            if (n < ParallelLoops.SERIAL_BELOW || Runtime.getRuntime().availableProcessors() < 2) {
                assertEquals(1, chunks.size(), "n " + n + " runs as one loop");
            } else {
                assertTrue(chunks.size() > 1, "n " + n + " is split");
            }
        }
    }
}
