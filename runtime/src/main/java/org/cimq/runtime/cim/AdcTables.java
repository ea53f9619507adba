package org.cimq.runtime.cim;

import java.util.HashMap;
import java.util.Map;

/**
 * The ADCs of one array tabulated over every integer partial sum in [−bound, bound]: for column
 * c (= j·N' + n), {@code values[zero[c] + v]} is exactly what {@link AdcQuantizeKernel} computes
 * for v (the same float32 division, round half-to-even or floor, clamp and multiplication), so
 * a lookup replaces the per-conversion arithmetic. Columns with the same step share one table.
 */
final class AdcTables {
    final float[] values;
    final int[] zero;

    private AdcTables(float[] values, int[] zero) {
        this.values = values;
        this.zero = zero;
    }

    /** L ≥ 2 levels, zero-tread or mid-rise, one step per column (CIM-SPEC, {@link AdcQuantizeKernel}). */
    static AdcTables of(int levels, float[] steps, boolean midRise, int bound) {
        Map<Float, Integer> index = new HashMap<>();
        int[] zero = new int[steps.length];
        for (int c = 0; c < steps.length; c++) {
            Integer i = index.get(steps[c]);
            if (i == null) {
                i = index.size();
                index.put(steps[c], i);
            }
            zero[c] = i * (2 * bound + 1) + bound;
        }
        float[] values = new float[index.size() * (2 * bound + 1)];
        float lo = levels % 2 == 1 ? -(levels - 1) / 2f : -levels / 2f;
        float hi = levels % 2 == 1 ? (levels - 1) / 2f : levels / 2f - 1;
        for (Map.Entry<Float, Integer> e : index.entrySet()) {
            float delta = e.getKey();
            int base = e.getValue() * (2 * bound + 1) + bound;
            for (int ps = -bound; ps <= bound; ps++) {
                float z = (float) ps / delta;
                if (midRise) {
                    z = Math.min(Math.max((float) Math.floor(z), lo), hi) + 0.5f;
                } else {
                    z = Math.min(Math.max((float) Math.rint(z), lo), hi);
                }
                values[base + ps] = z * delta;
            }
        }
        return new AdcTables(values, zero);
    }

    /** No ADC: the identity on [−bound, bound] (partial sums pass as they are). */
    static AdcTables identity(int columns, int bound) {
        float[] values = new float[2 * bound + 1];
        for (int ps = -bound; ps <= bound; ps++) {
            values[ps + bound] = ps;
        }
        int[] zero = new int[columns];
        java.util.Arrays.fill(zero, bound);
        return new AdcTables(values, zero);
    }
}
