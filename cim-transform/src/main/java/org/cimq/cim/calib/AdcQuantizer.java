package org.cimq.cim.calib;

import org.cimq.cim.config.Quantizer;

/**
 * The ADC quantizer Q of CIM-SPEC evaluated on one value: v/Δ, round half to even (zero-tread) or
 * floor (mid-rise), clamp to the level indices, times Δ. {@link #quantize(float, float, int, Quantizer)}
 * has exactly the float32 arithmetic of the runtime's {@code AdcQuantize} kernel (up to the sign of
 * a zero result); {@link #quantize(double, double, int, Quantizer)} is the same formula in double,
 * which the range search uses so that its objective is exactly piecewise quadratic in Δ (the two
 * differ by float32 rounding only: a relative 2^−24 in v/Δ and in the product).
 */
public final class AdcQuantizer {
    private AdcQuantizer() {
    }

    /** Smallest level index: −(L−1)/2 for odd L, −L/2 for even L. */
    public static int lowest(int levels) {
        return levels % 2 == 1 ? -(levels - 1) / 2 : -levels / 2;
    }

    /** Largest level index: (L−1)/2 for odd L, L/2 − 1 for even L. */
    public static int highest(int levels) {
        return levels % 2 == 1 ? (levels - 1) / 2 : levels / 2 - 1;
    }

    /** Q(v) for step {@code delta} and {@code levels} levels (L ≥ 2; even L for mid-rise). */
    public static float quantize(float v, float delta, int levels, Quantizer q) {
        float z = v / delta;
        float lo = lowest(levels);
        float hi = highest(levels);
        float level;
        if (q == Quantizer.MID_RISE) {
            level = Math.min(Math.max((float) Math.floor(z), lo), hi) + 0.5f;
        } else {
            level = Math.min(Math.max((float) Math.rint(z), lo), hi);
        }
        return level * delta;
    }

    /** Q(v) in double arithmetic (see the class comment). */
    public static double quantize(double v, double delta, int levels, Quantizer q) {
        double z = v / delta;
        double level = q == Quantizer.MID_RISE
                ? Math.min(Math.max(Math.floor(z), lowest(levels)), highest(levels)) + 0.5
                : Math.min(Math.max(Math.rint(z), lowest(levels)), highest(levels));
        return level * delta;
    }
}
