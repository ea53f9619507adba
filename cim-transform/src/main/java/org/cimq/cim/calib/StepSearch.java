package org.cimq.cim.calib;

import java.util.Arrays;
import org.cimq.cim.config.Quantizer;

/**
 * Exhaustive search of the ADC step Δ that minimises E(Δ) = Σ_v h(v)·(Q(v) − v)² for a weighted
 * histogram h over the integers [−m, m] (index v + m), Q being {@link AdcQuantizer}.
 *
 * <p>Why the candidates suffice. Write Q(v) = ℓ(v)·Δ with the level index ℓ(v) = clamp(round(v/Δ))
 * (zero-tread) or clamp(floor(v/Δ)) + ½ (mid-rise). For fixed v, ℓ(v) is a monotone step
 * function of Δ that changes only where v/Δ crosses a rounding boundary n + ½ (zero-tread) or an
 * integer n (mid-rise) whose crossing is not undone by the clamp; clipping sets in at such a
 * crossing too. So the breakpoints are Δ = |v|/(n + ½), n = 0 .. K−1 (zero-tread) and Δ = |v|/n,
 * n = 1 .. K (mid-rise), K being the number of levels on v's side of zero. Between two consecutive
 * breakpoints every ℓ(v) is constant and E(Δ) = AΔ² − 2BΔ + C with A = Σ h ℓ², B = Σ h ℓ v, a
 * convex quadratic whose minimum over the piece lies at its vertex B/A if that is inside the
 * piece, else at an end. At an end the value is the limit from one side or the other (which side
 * a tie falls on is set by round half to even). Hence the minimum over all Δ is among: every
 * breakpoint and points just either side of it, and every piece's vertex. A finer grid can only
 * add points inside pieces, where the quadratic is already minimised, so it changes no choice.
 *
 * <p>Arithmetic: the model stores Δ as float32 and the ADC divides in float32, so candidates are
 * float32 values and the level index is the kernel's ({@link AdcQuantizer#level}); E adds
 * h(v)·(level·Δ − v)² in double, exactly quadratic in Δ inside a piece. Float32 division moves a
 * level change at most an ulp away from the real breakpoint, so the candidates are each
 * breakpoint's float32 rounding with two float32 neighbours on each side, and each vertex's
 * rounding with one neighbour on each side. The sweep over breakpoints updates A and B in O(1)
 * per breakpoint. Ties in E go to the smaller Δ. A histogram whose error cannot depend on Δ (all
 * zero) gives Δ = 1.
 */
public final class StepSearch {
    /** The chosen step and its error. */
    public record Step(double delta, double error) { }

    private StepSearch() {
    }

    /** E(Δ) for {@code h} over [−m, m], m = (h.length − 1)/2. */
    public static double error(double[] h, float delta, int levels, Quantizer q) {
        int m = (h.length - 1) / 2;
        int n = 0;
        int[] values = new int[h.length];
        double[] counts = new double[h.length];
        for (int i = 0; i < h.length; i++) {
            if (h[i] != 0) {
                values[n] = i - m;
                counts[n++] = h[i];
            }
        }
        return error(values, counts, n, delta, levels, q);
    }

    private static double error(int[] values, double[] counts, int n, float delta, int levels, Quantizer q) {
        double e = 0;
        for (int i = 0; i < n; i++) {
            double r = (double) AdcQuantizer.level(values[i], delta, levels, q) * delta - values[i];
            e += counts[i] * r * r;
        }
        return e;
    }

    /** The Δ with the smallest {@link #error}. */
    public static Step best(double[] h, int levels, Quantizer q) {
        int m = (h.length - 1) / 2;
        int lo = AdcQuantizer.lowest(levels);
        int hi = AdcQuantizer.highest(levels);
        boolean midRise = q == Quantizer.MID_RISE;
        int events = 0;
        for (int i = 0; i < h.length; i++) {
            if (h[i] != 0 && i != m) {
                events += i > m ? hi : midRise ? -lo - 1 : -lo;
            }
        }
        double[] at = new double[events];
        double[] from = new double[events];
        double[] to = new double[events];
        int[] bin = new int[events];
        double a = 0;
        double b = 0;
        int k = 0;
        for (int i = 0; i < h.length; i++) {
            if (h[i] == 0) {
                continue;
            }
            int v = i - m;
            double level = v == 0 ? (midRise ? 0.5 : 0) : v > 0 ? hi + (midRise ? 0.5 : 0) : lo + (midRise ? 0.5 : 0);
            a += h[i] * level * level;
            b += h[i] * level * v;
            if (v == 0) {
                continue;
            }
            int side = v > 0 ? hi : midRise ? -lo - 1 : -lo;
            int sign = v > 0 ? 1 : -1;
            for (int n = side; n >= 1; n--) {
                at[k] = midRise ? Math.abs(v) / (double) n : Math.abs(v) / (n - 0.5);
                from[k] = midRise ? sign * (n + 0.5) : sign * n;
                to[k] = midRise ? sign * (n - 0.5) : sign * (n - 1);
                bin[k] = i;
                k++;
            }
        }
        Integer[] order = new Integer[events];
        Arrays.setAll(order, x -> x);
        Arrays.sort(order, (x, y) -> Double.compare(at[x], at[y]));
        Candidates c = new Candidates();
        double prev = 0;
        for (int e = 0; e < events; ) {
            double here = at[order[e]];
            c.vertex(a, b, prev, here);
            c.around(here);
            while (e < events && at[order[e]] == here) {
                int x = order[e++];
                a += h[bin[x]] * (to[x] * to[x] - from[x] * from[x]);
                b += h[bin[x]] * (bin[x] - m) * (to[x] - from[x]);
            }
            prev = here;
        }
        c.vertex(a, b, prev, Double.POSITIVE_INFINITY);
        int n = 0;
        int[] values = new int[h.length];
        double[] counts = new double[h.length];
        for (int i = 0; i < h.length; i++) {
            if (h[i] != 0) {
                values[n] = i - m;
                counts[n++] = h[i];
            }
        }
        Step best = null;
        for (int i = 0; i < c.size; i++) {
            float d = c.values[i];
            double err = error(values, counts, n, d, levels, q);
            if (best == null || err < best.error || (err == best.error && d < best.delta)) {
                best = new Step(d, err);
            }
        }
        return best != null ? best : new Step(1, error(h, 1f, levels, q));
    }

    /** Positive finite float32 candidates. */
    private static final class Candidates {
        private float[] values = new float[64];
        private int size;

        void vertex(double a, double b, double low, double high) {
            if (a > 0) {
                double v = b / a;
                if (v > low && v < high) {
                    around(v, 1);
                }
            }
        }

        void around(double x) {
            around(x, 2);
        }

        void around(double x, int ulps) {
            float f = (float) x;
            add(f);
            float up = f;
            float down = f;
            for (int i = 0; i < ulps; i++) {
                up = Math.nextUp(up);
                down = Math.nextDown(down);
                add(up);
                add(down);
            }
        }

        private void add(float f) {
            if (!(f > 0) || Float.isInfinite(f)) {
                return;
            }
            if (size == values.length) {
                values = Arrays.copyOf(values, 2 * size);
            }
            values[size++] = f;
        }
    }
}
