package org.cimq.runtime.cim;

/**
 * The fused kernel's general inner loop ({@link FusedLayerKernel}): any digit width d, weight-digit
 * magnitudes of several bits, any number of row words; the float32 sums in the order of
 * {@link ShiftAddKernel} (slices, then planes).
 */
final class GeneralAccumulate {
    private GeneralAccumulate() {
    }

    /**
     * Adds, in the general case (d or weight-digit magnitudes above one bit, or arrays over 128 rows;
     * {@link OneBitAccumulate} and {@link NativeOneBit} take the rest), slice j of output channel n (local index nl) for {@code count}
     * packed positions: for each plane i, ps = popcount difference, q = table lookup, out += alpha·q (planes ascending);
     * with {@code counts}, also counts each partial sum as array {@code t}'s.
     */
    static void run(long[] a, int count, int words, int digitBits, TileMasks m, int nl, int j, float[] table, int zero,
                    float[] alpha, int alphaAt, int planes, float[] out, int[] outBase, int channelOffset, PartialSumCounts counts,
                    int t, int n) {
        long[] mk = m.masks;
        int mag = m.magnitudeBits;
        int perPos = planes * digitBits * words;
        for (int pc = 0; pc < count; pc++) {
            int idx = outBase[pc] + channelOffset;
            float acc = out[idx];
            for (int i = 0; i < planes; i++) {
                int sum = 0;
                for (int b = 0; b < digitBits; b++) {
                    int ab = pc * perPos + (i * digitBits + b) * words;
                    for (int e = 0; e < mag; e++) {
                        int pm = m.base(nl, j, e, 0);
                        int nm = pm + words;
                        int s = 0;
                        for (int w = 0; w < words; w++) {
                            long x = a[ab + w];
                            s += Long.bitCount(x & mk[pm + w]) - Long.bitCount(x & mk[nm + w]);
                        }
                        sum += s << (b + e);
                    }
                }
                if (counts != null) {
                    counts.count(t, i, j, n, sum);
                }
                acc += alpha[alphaAt + i] * table[zero + sum];
            }
            out[idx] = acc;
        }
    }
}
