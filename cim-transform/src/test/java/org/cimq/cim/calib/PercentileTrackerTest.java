package org.cimq.cim.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class PercentileTrackerTest {
    private static final double[] PS = {0, 1, 12.345, 50, 90, 99, 99.9, 99.99, 100};

    /** numpy's linear percentile of {@code values} (as float64), by sorting everything. */
    static double bruteForce(float[] values, double p) {
        float[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        double h = (n - 1) * (p / 100);
        if (h >= n - 1) {
            return v[n - 1];
        }
        int lo = (int) Math.floor(h);
        double a = v[lo];
        double b = v[lo + 1];
        double t = h - lo;
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }

    private static double streamed(float[] values, double p, boolean absolute, Random chunks) {
        PercentileTracker t = new PercentileTracker(p, values.length, absolute);
        int at = 0;
        while (at < values.length) {
            int len = Math.min(values.length - at, 1 + chunks.nextInt(Math.max(1, values.length / 3)));
            t.accept(values, at, len);
            at += len;
        }
        return t.result();
    }

    private static float[] abs(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.abs(v[i]);
        }
        return out;
    }

    @Test
    void matchesNumpyOnAFixedSequence() {
        float[] x = new float[10007];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) ((i * 7919L) % 10007 - 5000) / 13f;
        }
        double[][] numpy = { // p, np.percentile(x.astype(float64), p), same of |x| (numpy 2.4.6)
            {99.99, 384.99995383911124, 384.99995383911124},
            {99.9, 384.307216796875, 384.4615478515625},
            {50, 0.23076923191547394, 192.46153259277344},
            {12.345, -289.59686875305175, 47.53845977783203},
            {100, 385.0769348144531, 385.0769348144531},
            {0, -384.6153869628906, 0.0},
            {33.3, -128.30784732055668, 128.15383911132812}};
        for (double[] row : numpy) {
            assertEquals(row[1], streamed(x, row[0], false, new Random(1)), 0.0, "p=" + row[0]);
            assertEquals(row[2], streamed(x, row[0], true, new Random(2)), 0.0, "|x|, p=" + row[0]);
        }
    }

    @Test
    void handComputedExamples() {
        float[] oneToTen = {7, 3, 10, 1, 9, 2, 8, 4, 6, 5};
        assertEquals(9.1, streamed(oneToTen, 90, false, new Random(3)), 0.0, "h = 8.1: 9 + 0.1·(10 − 9)");
        assertEquals(5.5, streamed(oneToTen, 50, false, new Random(3)), 0.0, "h = 4.5");
        assertEquals(10.0, streamed(oneToTen, 100, false, new Random(3)), 0.0);
        assertEquals(1.0, streamed(oneToTen, 0, false, new Random(3)), 0.0);
        assertEquals(2.0, streamed(new float[] {3, 1}, 50, false, new Random(3)), 0.0);
        assertEquals(1.5, streamed(new float[] {3, 1}, 25, false, new Random(3)), 0.0);
        for (double p : PS) {
            assertEquals(-4.25, streamed(new float[] {-4.25f}, p, false, new Random(3)), 0.0, "N = 1, p = " + p);
            assertEquals(4.25, streamed(new float[] {-4.25f}, p, true, new Random(3)), 0.0, "|x|, N = 1, p = " + p);
        }
    }

    @Test
    void retainsOnlyTheTopValuesThePercentileCanNeed() {
        assertEquals(1601, new PercentileTracker(99.99, 16_000_000).retained());
        assertEquals(1, new PercentileTracker(100, 16_000_000).retained());
        assertEquals(10, new PercentileTracker(0, 10).retained());
    }

    @Test
    void matchesSortingOnRandomDataOfManySizes() {
        Random r = new Random(42);
        for (int n : new int[] {1, 2, 3, 10, 100, 1000, 10_001}) {
            float[] gauss = new float[n];
            float[] ties = new float[n];
            for (int i = 0; i < n; i++) {
                gauss[i] = (float) (r.nextGaussian() * 3);
                ties[i] = r.nextInt(5) - 1;
            }
            double[] ps = Arrays.copyOf(PS, PS.length + 1);
            ps[PS.length] = 100 * r.nextDouble();
            for (double p : ps) {
                for (float[] v : new float[][] {gauss, ties}) {
                    assertEquals(bruteForce(v, p), streamed(v, p, false, r), 0.0, "n=" + n + " p=" + p);
                    assertEquals(bruteForce(abs(v), p), streamed(v, p, true, r), 0.0, "|x| n=" + n + " p=" + p);
                }
            }
        }
    }

    @Test
    void twoMillionValuesInUnevenChunks() {
        Random r = new Random(7);
        float[] v = new float[2_000_000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.exp(r.nextGaussian()) - 1.2f;
        }
        for (double p : new double[] {99.99, 99.9, 100}) {
            assertEquals(bruteForce(v, p), streamed(v, p, false, r), 0.0, "p=" + p);
            assertEquals(bruteForce(abs(v), p), streamed(v, p, true, r), 0.0, "|x| p=" + p);
        }
    }

    @Test
    void tiesAndSummaryCounts() {
        float[] v = {2, 2, 2, -1, 2, 0, -0.0f, 2};
        PercentileTracker t = new PercentileTracker(99.99, v.length);
        t.accept(v, 0, v.length);
        assertEquals(2.0, t.result(), 0.0);
        assertEquals(-1f, t.min());
        assertEquals(2f, t.max());
        assertEquals(1, t.negatives(), "-0.0 is not negative");
        assertEquals(8, t.count());

        PercentileTracker a = new PercentileTracker(100, 3, true);
        a.accept(new float[] {-5, 1, 4}, 0, 3);
        assertEquals(5.0, a.result(), 0.0, "|x| mode ranks |−5|");
        assertEquals(-5f, a.min(), "min and max stay those of x");
        assertEquals(4f, a.max());
        assertEquals(1, a.negatives());
    }

    @Test
    void readsArraysOfAnyLayout() {
        INDArray base = Nd4j.linspace(-10, 13, 24, org.nd4j.linalg.api.buffer.DataType.FLOAT).reshape(2, 3, 4);
        INDArray view = base.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3), NDArrayIndex.all()).permute(2, 1, 0);
        INDArray dbl = view.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        float[] expected = view.dup('c').data().asFloat();
        assertEquals(16, expected.length);
        for (INDArray a : new INDArray[] {view, dbl, base}) {
            float[] want = a == base ? base.data().asFloat() : expected;
            PercentileTracker t = new PercentileTracker(80, a.length());
            t.accept(a);
            assertEquals(bruteForce(want, 80), t.result(), 0.0);
        }
    }

    @Test
    void rejectsACountOtherThanDeclared() {
        PercentileTracker few = new PercentileTracker(99.99, 5);
        few.accept(new float[] {1, 2, 3}, 0, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, few::result);
        assertTrue(e.getMessage().contains("3 value(s) arrived but 5 were declared"), e.getMessage());

        PercentileTracker many = new PercentileTracker(50, 2);
        many.accept(new float[] {1, 2, 3}, 0, 3);
        e = assertThrows(IllegalStateException.class, many::result);
        assertTrue(e.getMessage().contains("3 value(s) arrived but 2 were declared"), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> new PercentileTracker(100.5, 4));
        assertThrows(IllegalArgumentException.class, () -> new PercentileTracker(Double.NaN, 4));
        assertThrows(IllegalArgumentException.class, () -> new PercentileTracker(50, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> many.accept(new float[2], 1, 2));
    }

    @Test
    void rejectsNaNNamingHowMany() {
        PercentileTracker t = new PercentileTracker(99.99, 6);
        t.accept(new float[] {1, Float.NaN, 3}, 0, 3);
        t.accept(new float[] {Float.NaN, 2, 4}, 0, 3);
        assertEquals(2, t.nanCount());
        assertEquals(1f, t.min());
        assertEquals(4f, t.max());
        IllegalStateException e = assertThrows(IllegalStateException.class, t::result);
        assertTrue(e.getMessage().startsWith("2 NaN value(s) among the 6 seen"), e.getMessage());
    }

    @Test
    void infinitiesGiveTheLimitWhereNumpyGivesNaN() {
        float inf = Float.POSITIVE_INFINITY;
        assertEquals(2.0, streamed(new float[] {1, 2, inf}, 50, false, new Random(1)), 0.0, "weight 0 on +inf");
        assertEquals(Double.POSITIVE_INFINITY, streamed(new float[] {1, 2, inf}, 60, false, new Random(1)));
        assertEquals(Double.POSITIVE_INFINITY, streamed(new float[] {1, inf, inf}, 80, false, new Random(1)));
        assertEquals(Double.POSITIVE_INFINITY, streamed(new float[] {1, 2, inf}, 100, false, new Random(1)));
        assertEquals(Double.NEGATIVE_INFINITY, streamed(new float[] {-inf, 2, 3}, 20, false, new Random(1)));
        assertEquals(Double.NEGATIVE_INFINITY, streamed(new float[] {-inf, 2, 3}, 0, false, new Random(1)));
        assertEquals(2.0, streamed(new float[] {-inf, 2, 3}, 0, true, new Random(1)), 0.0, "|x| ranks |−inf| last");
        assertEquals(Double.POSITIVE_INFINITY, streamed(new float[] {-inf, 2, 3}, 100, true, new Random(1)));
        assertEquals(2.5, streamed(new float[] {-inf, 2, 3, inf}, 50, false, new Random(1)), 0.0);
    }
}
