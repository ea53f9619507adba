package org.cimq.cim;

import org.cimq.cim.config.Quantizer;

/**
 * The ADC of one layer: L levels (0 = no ADC) and its step, one of: a single Δ (layer or
 * network granularity), one Δ per array ({@code arrayDeltas[t]}), or one Δ per array column
 * ({@code columnDeltas[t][j][n]}, n running over the array's columns in the order of its
 * slice tensor: each group's output channels followed by that group's reference column when
 * there is one).
 */
public record AdcSetting(int levels, Quantizer quantizer, double delta, double[] arrayDeltas, double[][][] columnDeltas) {
    public static final AdcSetting NONE = new AdcSetting(0, Quantizer.ZERO_TREAD, 0, null, null);

    public static AdcSetting uniform(int levels, Quantizer quantizer, double delta) {
        return new AdcSetting(levels, quantizer, delta, null, null);
    }

    public boolean enabled() {
        return levels != 0;
    }
}
