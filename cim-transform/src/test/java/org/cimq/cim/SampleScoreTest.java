package org.cimq.cim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.cimq.cim.search.SampleScore;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sample scores against hand-computed values: top-1 with the images that were right, summed
 * cross-entropy, concatenation of batches, and the paired significance rule of {@link SampleScore#beats}.
 */
class SampleScoreTest {
    private static SampleScore rightOn(int images, int... right) {
        BitSet b = new BitSet();
        for (int i : right) {
            b.set(i);
        }
        return new SampleScore(right.length, images, 0, b);
    }

    @Test
    void scoresLogitsAndConcatenatesBatches() {
        // image 0: class 1 wins (right), image 1: class 0 wins, label 1 (wrong)
        SampleScore a = SampleScore.of(Nd4j.createFromArray(new float[][] {{0f, 2f}, {3f, 1f}}), new int[] {1, 1});
        assertEquals(1, a.correct());
        assertEquals(2, a.images());
        double ce = Math.log(1 + Math.exp(-2)) + (3 + Math.log(1 + Math.exp(-2)) - 1);
        assertEquals(ce, a.crossEntropy(), 1e-6);
        SampleScore b = SampleScore.of(Nd4j.createFromArray(new float[][] {{5f, 1f}}), new int[] {0});
        SampleScore ab = a.plus(b);
        assertEquals(2, ab.correct());
        assertEquals(3, ab.images());
        BitSet want = new BitSet();
        want.set(0);
        want.set(2);
        assertEquals(want, ab.right(), "image 0 of the second batch is image 2 of the sample");
        assertThrows(IllegalArgumentException.class, () -> new SampleScore(2, 3, 0, new BitSet()));
    }

    @Test
    void beatsNeedsAPairedGainAboveZStandardErrors() {
        SampleScore best = rightOn(100, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        // 9 gained (10..18), 1 lost (0): gain 8 over sqrt(10) = 3.16 standard errors
        SampleScore clear = rightOn(100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18);
        assertTrue(clear.beats(best, 2));
        assertTrue(clear.beats(best, 2.5));
        assertFalse(clear.beats(best, 2.6));
        // 6 gained, 4 lost: 2 more right, 0.63 standard errors: better, but not beyond noise
        SampleScore noisy = rightOn(100, 4, 5, 6, 7, 8, 9, 20, 21, 22, 23, 24, 25);
        assertTrue(noisy.betterThan(best));
        assertTrue(noisy.beats(best, 0), "z = 0 is betterThan");
        assertFalse(noisy.beats(best, 0.7));
        assertTrue(noisy.beats(best, 0.6));
        // as many right with a lower cross-entropy: better at z = 0 only
        SampleScore tie = new SampleScore(10, 100, -1, best.right());
        assertTrue(tie.beats(best, 0));
        assertFalse(tie.beats(best, 0.1));
        assertThrows(IllegalArgumentException.class, () -> clear.beats(rightOn(50, 1), 1));
    }
}
