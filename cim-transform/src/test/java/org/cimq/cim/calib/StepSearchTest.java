package org.cimq.cim.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.cimq.cim.config.Quantizer;
import org.junit.jupiter.api.Test;

/** The step search against hand-computed errors and brute force over fine grids and over every float32. */
class StepSearchTest {
    @Test
    void errorOfAThreeBinHistogramByHand() {
        double[] h = new double[5];
        h[-1 + 2] = 2;
        h[1 + 2] = 3;
        h[2 + 2] = 1;
        assertEquals(2 * 1 + 3 * 1 + 0.25, StepSearch.error(h, 2.5f, 3, Quantizer.ZERO_TREAD), 0);
        assertEquals(6 * 0.25, StepSearch.error(h, 1.5f, 3, Quantizer.ZERO_TREAD), 0);
        // mid-rise, L = 2: levels ±Δ/2; Δ = 2 puts them at ±1
        assertEquals(1, StepSearch.error(h, 2f, 2, Quantizer.MID_RISE), 0);
        // zero-tread, L = 4: indices −2..1; Δ = 2: Q(−1) = round(−0.5) = −0 → 0, Q(1) → 0, Q(2) = 2
        assertEquals(2 * 1 + 3 * 1, StepSearch.error(h, 2f, 4, Quantizer.ZERO_TREAD), 0);
    }

    @Test
    void noFineGridBeatsTheSearch() {
        Random r = new Random(17);
        for (int trial = 0; trial < 60; trial++) {
            int m = 2 + r.nextInt(10);
            double[] h = randomHistogram(r, m);
            int levels = 2 + r.nextInt(8);
            Quantizer q = levels % 2 == 0 && r.nextBoolean() ? Quantizer.MID_RISE : Quantizer.ZERO_TREAD;
            StepSearch.Step s = StepSearch.best(h, levels, q);
            assertEquals(StepSearch.error(h, (float) s.delta(), levels, q), s.error(), 0);
            double grid = Double.POSITIVE_INFINITY;
            int points = 20000;
            for (int i = 1; i <= points; i++) {
                float d = (float) (4.0 * m * i / points);
                grid = Math.min(grid, StepSearch.error(h, d, levels, q));
            }
            assertTrue(s.error() <= grid + 1e-12 * Math.max(1, grid),
                    "trial " + trial + ": search " + s.error() + " at " + s.delta() + ", grid " + grid);
            assertTrue(grid - s.error() <= 0.05 * Math.max(1, grid), "the grid gets close: " + grid + " vs " + s.error());
        }
    }

    @Test
    void everyFloat32StepInARangeGivesNoSmallerError() {
        double[] h = new double[9];
        double[] counts = {1, 4, 9, 30, 7, 25, 6, 2, 1};
        System.arraycopy(counts, 0, h, 0, 9);
        for (Object[] c : new Object[][] {{3, Quantizer.ZERO_TREAD}, {4, Quantizer.MID_RISE}, {5, Quantizer.ZERO_TREAD}}) {
            int levels = (Integer) c[0];
            Quantizer q = (Quantizer) c[1];
            StepSearch.Step s = StepSearch.best(h, levels, q);
            double brute = Double.POSITIVE_INFINITY;
            float arg = 0;
            for (float d = 0.5f; d <= 4f; d = Math.nextUp(d)) {
                double e = StepSearch.error(h, d, levels, q);
                if (e < brute) {
                    brute = e;
                    arg = d;
                }
            }
            assertTrue(s.delta() > 0.5 && s.delta() < 4, "optimum inside the brute-force range: " + s.delta());
            assertTrue(s.error() <= brute, "search not beaten");
            assertEquals(brute, s.error(), 1e-12 * brute, "L " + levels + " " + q.id() + ": brute force argmin " + arg
                    + ", search " + s.delta());
        }
    }

    @Test
    void allZeroHistogramGivesUnitStep() {
        double[] h = new double[7];
        h[3] = 10;
        StepSearch.Step s = StepSearch.best(h, 3, Quantizer.ZERO_TREAD);
        assertEquals(1, s.delta());
        assertEquals(0, s.error());
    }

    private static double[] randomHistogram(Random r, int m) {
        double[] h = new double[2 * m + 1];
        for (int i = 0; i < h.length; i++) {
            int v = Math.abs(i - m);
            h[i] = r.nextInt(3) == 0 ? 0 : Math.floor(100 * Math.exp(-v / (1.0 + r.nextInt(4))) * r.nextDouble());
        }
        h[m + 1 + r.nextInt(m)] += 1;
        return h;
    }
}
