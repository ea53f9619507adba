package org.cimq.cim.calib;

import org.cimq.cim.config.Quantizer;

/**
 * The ADC quantizer Q of CIM-SPEC evaluated on one value, with the arithmetic of the runtime's
 * {@code AdcQuantize} kernel: float32 division v/Δ, round half to even (zero-tread) or floor
 * (mid-rise), clamp to the level indices, times Δ. {@link #level} is the level index this picks
 * (exactly the kernel's choice, ties included); {@link #quantize} multiplies it by Δ in float32 as the
 * kernel does (equal to the kernel up to the sign of a zero result). The range search takes
 * {@code level(v, Δ)·Δ} in double instead, so that its error is exactly quadratic in Δ between two
 * changes of level; that differs from the kernel's output by the float32 rounding of one product.
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

    /** The level index Q(v)/Δ: an integer (zero-tread) or an integer + ½ (mid-rise). */
    public static float level(float v, float delta, int levels, Quantizer q) {
        float z = v / delta;
        float lo = lowest(levels);
        float hi = highest(levels);
        if (q == Quantizer.MID_RISE) {
            return Math.min(Math.max((float) Math.floor(z), lo), hi) + 0.5f;
        }
        return Math.min(Math.max((float) Math.rint(z), lo), hi);
    }

    /** Q(v) for step {@code delta} and {@code levels} levels (L ≥ 2; even L for mid-rise). */
    public static float quantize(float v, float delta, int levels, Quantizer q) {
        return level(v, delta, levels, q) * delta;
    }
}
