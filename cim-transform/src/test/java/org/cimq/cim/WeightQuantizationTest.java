package org.cimq.cim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cimq.cim.config.WeightScheme;
import org.junit.jupiter.api.Test;

class WeightQuantizationTest {
    @Test
    void perChannelScalesRoundHalfToEvenAndHandleZeroChannels() {
        // channel 0: max 1.4 → s = 0.2: 1.4/0.2 = 7, -0.3/0.2 = -1.5 → -2 (even), 0.1/0.2 = 0.5 → 0 (even)
        // channel 1: all zero → s = 1, q = 0
        float[] w = {1.4f, -0.3f, 0.1f, 0f, 0f, 0f};
        QuantizedWeights q = QuantizedWeights.of(w, 2, i -> i / 3, 4);
        assertArrayEquals(new float[] {1.4f / 7, 1f}, q.scales(), 0f);
        assertArrayEquals(new int[] {7, -2, 0, 0, 0, 0}, q.q());
    }

    @Test
    void slicesOfEverySchemeReassembleEveryWeight() {
        for (WeightScheme scheme : WeightScheme.values()) {
            for (int bits = 2; bits <= 8; bits++) {
                for (int c = 1; c <= Math.min(bits, 3); c++) {
                    WeightSlices s = new WeightSlices(scheme, bits, c);
                    double[] w = s.weights();
                    int qmax = (1 << (bits - 1)) - 1;
                    for (int q = -qmax; q <= qmax; q++) {
                        double sum = 0;
                        double ref = 0;
                        for (int j = 0; j < s.count(); j++) {
                            int d = s.digit(q, j);
                            int bound = (1 << c) - 1;
                            assertEquals(true, d >= (scheme == WeightScheme.DIFFERENTIAL ? -bound : 0) && d <= bound,
                                    scheme + " digit " + d + " out of a " + c + "-bit cell");
                            sum += w[j] * d;
                            ref += w[j] * s.referenceDigit(j);
                        }
                        assertEquals(q, s.hasReferenceColumn() ? sum - ref : sum, 0, scheme + " bits " + bits + " c " + c + " q " + q);
                    }
                }
            }
        }
    }

    @Test
    void sliceCountsFollowTheSchemes() {
        assertEquals(3, new WeightSlices(WeightScheme.DIFFERENTIAL, 4, 1).count());
        assertEquals(2, new WeightSlices(WeightScheme.DIFFERENTIAL, 4, 2).count());
        assertEquals(4, new WeightSlices(WeightScheme.OFFSET, 4, 1).count());
        assertEquals(4, new WeightSlices(WeightScheme.TWOS_COMPLEMENT, 4, 1).count());
        assertEquals(3, new WeightSlices(WeightScheme.TWOS_COMPLEMENT, 4, 2).count());
        // q = -3 in 4-bit two's complement: 1101 → magnitude bits 101 = 5 and sign 1: 5 − 8 = −3
        WeightSlices t = new WeightSlices(WeightScheme.TWOS_COMPLEMENT, 4, 1);
        assertArrayEquals(new int[] {1, 0, 1, 1}, new int[] {t.digit(-3, 0), t.digit(-3, 1), t.digit(-3, 2), t.digit(-3, 3)});
        // q = -5 differential, c = 2: |q| = 01 01 → slices −1, −1 with weights 1, 4
        WeightSlices d = new WeightSlices(WeightScheme.DIFFERENTIAL, 4, 2);
        assertArrayEquals(new int[] {-1, -1}, new int[] {d.digit(-5, 0), d.digit(-5, 1)});
    }
}
