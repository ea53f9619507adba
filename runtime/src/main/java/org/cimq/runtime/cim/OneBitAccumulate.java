package org.cimq.runtime.cim;

/**
 * The fused kernel's inner loop for the common case: one-bit input digits (d = 1), weight digits
 * in {−1, 0, 1} (one magnitude bit) and arrays of at most 128 rows (two words). For each output
 * channel and packed position it adds, slice by slice and plane by plane (the order of
 * {@link ShiftAddKernel}), {@code alpha[j][i] · ADC(popcount(a_i ∧ pos_j) − popcount(a_i ∧ neg_j))}
 * to the output element, keeping the sum in a register.
 */
final class OneBitAccumulate {
    private OneBitAccumulate() {
    }

    /**
     * @param a         packed positions: position pc, plane i, word w at {@code (pc·planes + i)·words + w}
     * @param first     the first output channel of the group; {@code perGroup} channels from there
     * @param channels  the layer's output channels (columns of the ADC tables are j·channels + n)
     * @param alpha     slice weight × plane weight, at j·planes + i
     * @param outBase   output index of each position for channel 0; channel n adds n·stride
     */
    static void run(long[] a, int count, int words, TileMasks m, int first, int perGroup, int slices, int planes,
                    AdcTables tb, int channels, float[] alpha, float[] out, int[] outBase, int stride) {
        if (words == 2) {
            runTwoWords(a, count, m, first, perGroup, slices, planes, tb, channels, alpha, out, outBase, stride);
        } else {
            runOneWord(a, count, m, first, perGroup, slices, planes, tb, channels, alpha, out, outBase, stride);
        }
    }

    private static void runTwoWords(long[] a, int count, TileMasks m, int first, int perGroup, int slices, int planes,
                                    AdcTables tb, int channels, float[] alpha, float[] out, int[] outBase, int stride) {
        long[] mk = m.masks;
        float[] table = tb.values;
        int perPos = planes * 2;
        for (int nl = 0; nl < perGroup; nl++) {
            int n = first + nl;
            int offset = n * stride;
            for (int j = 0; j < slices; j++) {
                int pm = m.base(nl, j, 0, 0);
                long p0 = mk[pm];
                long p1 = mk[pm + 1];
                long n0 = mk[pm + 2];
                long n1 = mk[pm + 3];
                int zero = tb.zero[j * channels + n];
                int at = j * planes;
                for (int pc = 0; pc < count; pc++) {
                    int ab = pc * perPos;
                    int idx = outBase[pc] + offset;
                    float acc = out[idx];
                    for (int i = 0; i < planes; i++) {
                        long x0 = a[ab + 2 * i];
                        long x1 = a[ab + 2 * i + 1];
                        int s = Long.bitCount(x0 & p0) - Long.bitCount(x0 & n0) + Long.bitCount(x1 & p1)
                                - Long.bitCount(x1 & n1);
                        acc += alpha[at + i] * table[zero + s];
                    }
                    out[idx] = acc;
                }
            }
        }
    }

    private static void runOneWord(long[] a, int count, TileMasks m, int first, int perGroup, int slices, int planes,
                                   AdcTables tb, int channels, float[] alpha, float[] out, int[] outBase, int stride) {
        long[] mk = m.masks;
        float[] table = tb.values;
        for (int nl = 0; nl < perGroup; nl++) {
            int n = first + nl;
            int offset = n * stride;
            for (int j = 0; j < slices; j++) {
                int pm = m.base(nl, j, 0, 0);
                long p0 = mk[pm];
                long n0 = mk[pm + 1];
                int zero = tb.zero[j * channels + n];
                int at = j * planes;
                for (int pc = 0; pc < count; pc++) {
                    int ab = pc * planes;
                    int idx = outBase[pc] + offset;
                    float acc = out[idx];
                    for (int i = 0; i < planes; i++) {
                        long x = a[ab + i];
                        acc += alpha[at + i] * table[zero + Long.bitCount(x & p0) - Long.bitCount(x & n0)];
                    }
                    out[idx] = acc;
                }
            }
        }
    }
}
