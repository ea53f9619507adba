package org.cimq.runtime.cim;

/**
 * One ADC's transfer function tabulated over every integer partial sum in [−bound, bound]:
 * {@code q(v)} is exactly what {@link AdcQuantizeKernel} computes for v (the same float32
 * division, round half-to-even or floor, clamp and multiplication), so a table lookup replaces
 * the per-conversion arithmetic.
 */
final class AdcTable {
    private final float[] values;
    private final int bound;

    private AdcTable(float[] values, int bound) {
        this.values = values;
        this.bound = bound;
    }

    /** L ≥ 2 levels, step {@code delta}, zero-tread or mid-rise (CIM-SPEC, {@link AdcQuantizeKernel}). */
    static AdcTable of(int levels, float delta, boolean midRise, int bound) {
        float lo = levels % 2 == 1 ? -(levels - 1) / 2f : -levels / 2f;
        float hi = levels % 2 == 1 ? (levels - 1) / 2f : levels / 2f - 1;
        float[] v = new float[2 * bound + 1];
        for (int ps = -bound; ps <= bound; ps++) {
            float z = (float) ps / delta;
            if (midRise) {
                z = Math.min(Math.max((float) Math.floor(z), lo), hi) + 0.5f;
            } else {
                z = Math.min(Math.max((float) Math.rint(z), lo), hi);
            }
            v[ps + bound] = z * delta;
        }
        return new AdcTable(v, bound);
    }

    float q(int ps) {
        return values[ps + bound];
    }

    int bound() {
        return bound;
    }
}
