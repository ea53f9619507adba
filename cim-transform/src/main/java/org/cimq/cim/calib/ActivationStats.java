package org.cimq.cim.calib;

import java.util.List;

/**
 * What calibration measured for one value entering mapped layers, over every element of the
 * calibration set in the float model (BN folded).
 *
 * @param layers        names of the mapped layers reading this value, in the order given
 * @param value         the value's name
 * @param p             the percentile asked for, 0..100 (99.99 in CIM-SPEC)
 * @param percentile    the p-th percentile of x, in the value's own units
 * @param absPercentile the p-th percentile of |x|, for signed encodings
 * @param min           the smallest x
 * @param max           the largest x
 * @param count         elements counted (images × elements per image)
 * @param negatives     elements below zero; non-zero means the input is signed
 * @param degenerate    {@code percentile == 0 || absPercentile == 0}: a scale from the data
 *                      would be zero, so {@link InputScale} uses its fallback; callers should warn
 */
public record ActivationStats(List<String> layers, String value, double p, double percentile, double absPercentile,
        float min, float max, long count, long negatives, boolean degenerate) {
    public ActivationStats {
        layers = List.copyOf(layers);
    }

    /** Statistics from the trackers of x and |x| of one value. */
    static ActivationStats of(List<String> layers, String value, PercentileTracker x, PercentileTracker abs) {
        double px = x.result();
        double pa = abs.result();
        return new ActivationStats(layers, value, x.percentile(), px, pa, x.min(), x.max(), x.count(), x.negatives(),
                px == 0 || pa == 0);
    }

    /** True when some element was below zero. */
    public boolean signed() {
        return negatives > 0;
    }
}
