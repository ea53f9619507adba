package org.cimq.runtime.cim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The step-function form of the ADC tables (what the native loop evaluates with compares and a
 * permute) gives the table's own floats, bit for bit, for every partial sum of every column, and
 * has the number of runs the quantizer implies.
 */
class AdcTablesTest {
    /** The value the run form gives for partial sum v of column c (as the native loop computes it). */
    private static float fromRuns(AdcTables t, int c, int v) {
        int l = 0;
        for (int k = 0; k < AdcTables.MAX_RUNS - 1; k++) {
            l += v > t.runStarts[c * (AdcTables.MAX_RUNS - 1) + k] ? 1 : 0;
        }
        return t.runValues[c * AdcTables.MAX_RUNS + l];
    }

    @Test
    void runsReproduceTheTableBitForBit() {
        Random r = new Random(3);
        int checked = 0;
        for (int levels = 2; levels <= 16; levels++) {
            for (boolean midRise : new boolean[] {false, true}) {
                if (midRise && levels % 2 == 1) {
                    continue;
                }
                for (int bound : new int[] {1, 7, 64, 128}) {
                    float[] steps = new float[12];
                    for (int i = 0; i < steps.length; i++) {
                        steps[i] = (float) (0.3 + 40 * r.nextDouble());
                    }
                    steps[5] = steps[2]; // a shared table
                    AdcTables t = AdcTables.of(levels, steps, midRise, bound);
                    for (int c = 0; c < steps.length; c++) {
                        int runs = 1;
                        for (int v = -bound + 1; v <= bound; v++) {
                            runs += Float.floatToRawIntBits(t.values[t.zero[c] + v]) != Float.floatToRawIntBits(t.values[t.zero[c] + v - 1])
                                    ? 1 : 0;
                        }
                        assertEquals(runs, t.runs[c], "L " + levels + ", column " + c);
                        if (runs > AdcTables.MAX_RUNS) {
                            continue;
                        }
                        for (int v = -bound; v <= bound; v++) {
                            assertEquals(Float.floatToRawIntBits(t.values[t.zero[c] + v]), Float.floatToRawIntBits(fromRuns(t, c, v)),
                                    "L " + levels + (midRise ? " mid-rise" : "") + ", bound " + bound + ", column " + c + ", v " + v);
                            checked++;
                        }
                    }
                }
            }
        }
        assertEquals(true, checked > 10_000, "only " + checked + " values checked");
    }

    /** Zero-tread L = 3 over a wide range: −Δ, −0, +0, +Δ (−0 for small negative sums, as x/Δ rounds to −0). */
    @Test
    void zeroTreadThreeLevelsHasFourRunsAndTheIdentityIsMarked() {
        AdcTables t = AdcTables.of(3, new float[] {10f}, false, 128);
        assertEquals(4, t.runs[0]);
        assertEquals(-10f, t.runValues[0]);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(t.runValues[1]));
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(t.runValues[2]));
        assertEquals(10f, t.runValues[3]);
        assertEquals(-6, t.runStarts[0]); // -5 is the first sum that rounds to -0 (-0.5 rounds half to even)
        assertEquals(-1, t.runStarts[1]); // 0 is +0
        assertEquals(5, t.runStarts[2]); // 5/10 = 0.5 rounds to 0; 6 is the first +Δ
        AdcTables id = AdcTables.identity(4, 128);
        assertEquals(0, id.runs[3], "the identity is marked, not described by runs");
        for (int v = -128; v <= 128; v++) {
            assertEquals((float) v, id.values[id.zero[3] + v]);
        }
    }
}
