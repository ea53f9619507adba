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
    /** The most runs of equal values a column may have for {@link #runs} to describe it (eight SIMD lanes). */
    static final int MAX_RUNS = 8;

    final float[] values;
    final int[] zero;
    /**
     * The same tables as step functions, for the native loop (compares and a register permute instead of a
     * gather): column c's values over [−bound, bound] form {@code runs[c]} runs of bit-identical floats.
     * Where that is at most {@link #MAX_RUNS}, the value for partial sum v is {@code runValues[c·MAX_RUNS + ℓ]}
     * with ℓ the number of k in 0..MAX_RUNS−2 with {@code v > runStarts[c·(MAX_RUNS−1) + k]} (run k + 1 starts
     * at {@code runStarts[..k] + 1}; unused entries are {@code Integer.MAX_VALUE}). Derived from {@code values}
     * itself, so both give the same floats bit for bit. {@code runs[c] == 0} marks the identity table (no ADC), whose
     * value for v is (float) v.
     */
    final int[] runs;
    final int[] runStarts;
    final float[] runValues;

    private AdcTables(float[] values, int[] zero, int bound, boolean identity) {
        this.values = values;
        this.zero = zero;
        int columns = zero.length;
        this.runs = new int[columns];
        this.runStarts = new int[columns * (MAX_RUNS - 1)];
        this.runValues = new float[columns * MAX_RUNS];
        java.util.Arrays.fill(runStarts, Integer.MAX_VALUE);
        java.util.Map<Integer, Integer> done = new java.util.HashMap<>();
        for (int c = 0; c < columns && !identity; c++) {
            int z = zero[c];
            Integer same = done.putIfAbsent(z, c);
            if (same != null) {
                runs[c] = runs[same];
                System.arraycopy(runStarts, same * (MAX_RUNS - 1), runStarts, c * (MAX_RUNS - 1), MAX_RUNS - 1);
                System.arraycopy(runValues, same * MAX_RUNS, runValues, c * MAX_RUNS, MAX_RUNS);
                continue;
            }
            int count = 1;
            runValues[c * MAX_RUNS] = values[z - bound];
            for (int v = -bound + 1; v <= bound; v++) {
                if (Float.floatToRawIntBits(values[z + v]) == Float.floatToRawIntBits(values[z + v - 1])) {
                    continue;
                }
                if (count < MAX_RUNS) {
                    runStarts[c * (MAX_RUNS - 1) + count - 1] = v - 1;
                    runValues[c * MAX_RUNS + count] = values[z + v];
                }
                count++;
            }
            runs[c] = count;
        }
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
        return new AdcTables(values, zero, bound, false);
    }

    /** No ADC: the identity on [−bound, bound] (partial sums pass as they are). */
    static AdcTables identity(int columns, int bound) {
        float[] values = new float[2 * bound + 1];
        for (int ps = -bound; ps <= bound; ps++) {
            values[ps + bound] = ps;
        }
        int[] zero = new int[columns];
        java.util.Arrays.fill(zero, bound);
        return new AdcTables(values, zero, bound, true); // runs all 0: values[zero + v] = (float) v (exact for |v| < 2^24)
    }
}
