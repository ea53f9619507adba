package org.cimq.runtime.cim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The fused kernels' shared scratch arrays: an array handed back is handed out again for the same
 * type and length only, never to two holders at once, at most {@link ScratchArrays#PER_LENGTH} per
 * length are kept, and arrays beyond {@link ScratchArrays#MAX_BYTES} are left to the collector.
 */
class ScratchArraysTest {
    @Test
    void reusesByTypeAndLengthWithinItsBounds() {
        int n = 1_000_003; // a length no kernel test uses
        float[] a = ScratchArrays.floats(n);
        float[] b = ScratchArrays.floats(n);
        assertNotSame(a, b);
        long before = ScratchArrays.heldBytes();
        ScratchArrays.give(a);
        ScratchArrays.give(b);
        ScratchArrays.give(new float[n]); // a third one of this length is not kept
        assertEquals(before + 2L * 4 * n, ScratchArrays.heldBytes());
        float[] again = ScratchArrays.floats(n);
        assertTrue(again == a || again == b, "a handed-back array is reused");
        float[] other = ScratchArrays.floats(n);
        assertTrue((other == a || other == b) && other != again, "each held array goes to one holder");
        assertNotSame(a, ScratchArrays.floats(n)); // none left: a new one
        assertEquals(n + 1, ScratchArrays.floats(n + 1).length);
        long[] l = ScratchArrays.longs(n);
        ScratchArrays.give(l);
        assertSame(l, ScratchArrays.longs(n), "long arrays are pooled apart from float arrays");
        assertEquals(before, ScratchArrays.heldBytes());
        int huge = (int) (ScratchArrays.MAX_BYTES / 4) + 1;
        ScratchArrays.give(new float[huge]);
        assertEquals(before, ScratchArrays.heldBytes(), "an array over the byte bound is not kept");
        ScratchArrays.give(again);
        ScratchArrays.give(other);
    }
}
