package org.cimq.cim;

import org.cimq.cim.config.WeightScheme;

/**
 * How integer weights are cut into cell digits, one array column per slice (CIM-SPEC
 * "Weights"). With B weight bits and c bits per cell:
 * <ul>
 * <li>differential (default): S = ceil((B−1)/c) slices; slice j holds sign(q)·digit_j(|q|),
 *     weight 2^(j·c).</li>
 * <li>offset: the stored value is u = q + 2^(B−1) (B bits, S = ceil(B/c) unsigned digits,
 *     weight 2^(j·c)); every array adds a reference column holding the digits of 2^(B−1), and
 *     shift-add subtracts it, so Σ a·u − Σ a·2^(B−1) = Σ a·q.</li>
 * <li>two's complement: the B−1 low bits of q's B-bit pattern in ceil((B−1)/c) digits (weights
 *     2^(j·c)), then the sign bit alone in a last slice weighted −2^(B−1).</li>
 * </ul>
 */
public final class WeightSlices {
    private final WeightScheme scheme;
    private final int bits;
    private final int cellBits;

    public WeightSlices(WeightScheme scheme, int bits, int cellBits) {
        this.scheme = scheme;
        this.bits = bits;
        this.cellBits = cellBits;
    }

    public int count() {
        return switch (scheme) {
            case DIFFERENTIAL -> ceilDiv(bits - 1, cellBits);
            case OFFSET -> ceilDiv(bits, cellBits);
            case TWOS_COMPLEMENT -> ceilDiv(bits - 1, cellBits) + 1;
        };
    }

    public boolean hasReferenceColumn() {
        return scheme == WeightScheme.OFFSET;
    }

    /** The shift-add weight of each slice. */
    public double[] weights() {
        double[] w = new double[count()];
        for (int j = 0; j < w.length; j++) {
            w[j] = Math.scalb(1.0, j * cellBits);
        }
        if (scheme == WeightScheme.TWOS_COMPLEMENT) {
            w[w.length - 1] = -Math.scalb(1.0, bits - 1);
        }
        return w;
    }

    /** The cell value of slice j for integer weight q. */
    public int digit(int q, int j) {
        int mask = (1 << cellBits) - 1;
        return switch (scheme) {
            case DIFFERENTIAL -> Integer.signum(q) * ((Math.abs(q) >> (j * cellBits)) & mask);
            case OFFSET -> ((q + (1 << (bits - 1))) >> (j * cellBits)) & mask;
            case TWOS_COMPLEMENT -> {
                int pattern = q & ((1 << bits) - 1);
                yield j == count() - 1 ? (pattern >> (bits - 1)) & 1 : ((pattern & ((1 << (bits - 1)) - 1)) >> (j * cellBits)) & mask;
            }
        };
    }

    /** The reference column's cell value of slice j (offset scheme). */
    public int referenceDigit(int j) {
        return ((1 << (bits - 1)) >> (j * cellBits)) & ((1 << cellBits) - 1);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
