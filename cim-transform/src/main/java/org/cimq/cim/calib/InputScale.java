package org.cimq.cim.calib;

/**
 * The input scale s_x of a mapped layer from its calibrated percentile (CIM-SPEC, "Inputs"):
 * the input code is {@code a = clamp(round(x / s_x), lowest, highest)}, so s_x is in the
 * units of x per code step.
 *
 * <ul>
 * <li>{@link Encoding#UNSIGNED} (the spec's rule): s_x = P99.99(x) / (2^bits − 1).</li>
 * <li>{@link Encoding#SPLIT} (positive and negative parts applied as two unsigned inputs of
 *     {@code bits} bits each): s_x = P99.99(|x|) / (2^bits − 1).</li>
 * <li>{@link Encoding#TWOS_COMPLEMENT} (one signed {@code bits}-bit code, the sign bit
 *     included): s_x = P99.99(|x|) / (2^(bits−1) − 1), a symmetric range.</li>
 * </ul>
 * A zero percentile (the input is zero at and above the percentile) would give a zero scale;
 * the scale is then 1 / (levels), as if the percentile were 1, and
 * {@link ActivationStats#degenerate()} tells the caller to warn.
 */
public final class InputScale {
    /** How a mapped layer's input is turned into codes. */
    public enum Encoding { UNSIGNED, SPLIT, TWOS_COMPLEMENT }

    private InputScale() {
    }

    /** The unsigned scale: {@code percentile / (2^bits − 1)}, bits in 1..31. */
    public static double scale(double percentile, int bits) {
        return scale(percentile, bits, Encoding.UNSIGNED);
    }

    /**
     * The scale for {@code encoding}, where {@code percentile} is of x for UNSIGNED and of |x|
     * otherwise. Rejects a non-finite percentile, and a negative one (a signed input, whose
     * unsigned scale is meaningless).
     */
    public static double scale(double percentile, int bits, Encoding encoding) {
        if (!Double.isFinite(percentile)) {
            throw new IllegalArgumentException("the calibrated percentile is " + percentile + "; no finite scale follows");
        }
        if (percentile < 0) {
            throw new IllegalArgumentException("the calibrated percentile is " + percentile
                    + " < 0: the input is signed; use a SPLIT or TWOS_COMPLEMENT encoding with the percentile of |x|");
        }
        return (percentile == 0 ? 1.0 : percentile) / levels(bits, encoding);
    }

    /** The scale of a calibrated value: its percentile of x for UNSIGNED, of |x| otherwise. */
    public static double scale(ActivationStats stats, int bits, Encoding encoding) {
        double p = encoding == Encoding.UNSIGNED ? stats.percentile() : stats.absPercentile();
        try {
            return scale(p, bits, encoding);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("value '" + stats.value() + "' (layers " + stats.layers() + "): "
                    + e.getMessage(), e);
        }
    }

    /** The largest code magnitude: 2^bits − 1, or 2^(bits−1) − 1 for two's complement. */
    public static long levels(int bits, Encoding encoding) {
        int magnitudeBits = encoding == Encoding.TWOS_COMPLEMENT ? bits - 1 : bits;
        int least = encoding == Encoding.TWOS_COMPLEMENT ? 2 : 1;
        if (bits < least || bits > 31) {
            throw new IllegalArgumentException(encoding + " inputs need " + least + " to 31 bits, got " + bits);
        }
        return (1L << magnitudeBits) - 1;
    }
}
