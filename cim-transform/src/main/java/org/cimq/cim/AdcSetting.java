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

    /** This setting with every step multiplied by {@code factor} (levels and quantizer kept). */
    public AdcSetting scaled(double factor) {
        double[] arrays = arrayDeltas == null ? null : java.util.Arrays.stream(arrayDeltas).map(d -> d * factor).toArray();
        double[][][] columns = null;
        if (columnDeltas != null) {
            columns = new double[columnDeltas.length][][];
            for (int t = 0; t < columns.length; t++) {
                columns[t] = new double[columnDeltas[t].length][];
                for (int j = 0; j < columns[t].length; j++) {
                    columns[t][j] = java.util.Arrays.stream(columnDeltas[t][j]).map(d -> d * factor).toArray();
                }
            }
        }
        return new AdcSetting(levels, quantizer, delta * factor, arrays, columns);
    }

    public boolean enabled() {
        return levels != 0;
    }
}
