package org.cimq.runtime.cim;

/**
 * The fused kernel's inner loop for the common case: one-bit input digits (d = 1), weight digits
 * in {−1, 0, 1} (one magnitude bit) and arrays of at most 128 rows (one or two words). For each
 * output channel n and slice j it adds, plane by plane, {@code alpha[j][i] · ADC(popcount(a_i ∧ pos_j)
 * − popcount(a_i ∧ neg_j))} to the output element of every packed position, so each element
 * receives its terms in the order slices, planes, as {@link ShiftAddKernel} adds them.
 * <p>Zero planes are skipped exactly: a position whose plane i is all zero has partial sum 0,
 * and where the column's ADC gives Q(0) = +0 the term alpha·Q(0) = +0 leaves the element as it
 * is (an element that starts at +0 and adds finite floats never becomes −0, so x + (+0) = x).
 * Positions are therefore listed per plane once per block ({@link Block#plan}), and columns
 * whose Q(0) is not +0 (mid-rise ADCs) run over every position. Post-ReLU inputs leave many
 * high-order planes empty (83% of the top plane's row words on ResNet-20).
 */
final class OneBitAccumulate {
    private OneBitAccumulate() {
    }

    /** Which positions of a block have a non-zero plane i, reused across blocks of one thread. */
    static final class Block {
        private final int[] nonZero;
        private final int[] nonZeroCount;
        private final int[] all;
        private final int block;

        Block(int planes, int block) {
            this.block = block;
            this.nonZero = new int[planes * block];
            this.nonZeroCount = new int[planes];
            this.all = new int[block];
            for (int pc = 0; pc < block; pc++) {
                all[pc] = pc;
            }
        }

        /** Lists, for each plane, the positions among the first {@code count} whose plane words are not all zero. */
        void plan(long[] a, int count, int planes, int words) {
            int perPos = planes * words;
            for (int i = 0; i < planes; i++) {
                int k = i * block;
                for (int pc = 0; pc < count; pc++) {
                    int ab = pc * perPos + i * words;
                    long any = words == 2 ? a[ab] | a[ab + 1] : a[ab];
                    nonZero[k] = pc;
                    k += any != 0 ? 1 : 0;
                }
                nonZeroCount[i] = k - i * block;
            }
        }
    }

    /**
     * @param a         packed positions: position pc, plane i, word w at {@code (pc·planes + i)·words + w}
     * @param plan      {@link Block#plan} of {@code a}
     * @param first     the first output channel of the group; {@code perGroup} channels from there
     * @param channels  the layer's output channels (columns of the ADC tables are j·channels + n)
     * @param alpha     slice weight × plane weight, at j·planes + i
     * @param outBase   output index of each position for channel 0; channel n adds n·stride
     */
    static void run(long[] a, int count, int words, Block plan, TileMasks m, int first, int perGroup, int slices,
                    int planes, AdcTables tb, int channels, float[] alpha, float[] out, int[] outBase, int stride) {
        long[] mk = m.masks;
        float[] table = tb.values;
        int perPos = planes * words;
        for (int nl = 0; nl < perGroup; nl++) {
            int n = first + nl;
            int offset = n * stride;
            for (int j = 0; j < slices; j++) {
                int pm = m.base(nl, j, 0, 0);
                int zero = tb.zero[j * channels + n];
                boolean skipZeros = Float.floatToRawIntBits(table[zero]) == 0;
                for (int i = 0; i < planes; i++) {
                    int[] list = skipZeros ? plan.nonZero : plan.all;
                    int from = skipZeros ? i * plan.block : 0;
                    int to = from + (skipZeros ? plan.nonZeroCount[i] : count);
                    float al = alpha[j * planes + i];
                    if (words == 2) {
                        twoWords(a, mk[pm], mk[pm + 1], mk[pm + 2], mk[pm + 3], list, from, to, perPos, i * 2, al, table,
                                zero, out, outBase, offset);
                    } else {
                        oneWord(a, mk[pm], mk[pm + 1], list, from, to, perPos, i, al, table, zero, out, outBase, offset);
                    }
                }
            }
        }
    }

    /**
     * {@link #run} that also counts every partial sum into {@code counts} as array {@code t}'s (positions skipped as
     * all-zero planes are counted as partial sum 0, in bulk).
     */
    static void runCounting(long[] a, int count, int words, Block plan, TileMasks m, int first, int perGroup, int slices,
                            int planes, AdcTables tb, int channels, float[] alpha, float[] out, int[] outBase, int stride,
                            PartialSumCounts counts, int t) {
        long[] mk = m.masks;
        float[] table = tb.values;
        int perPos = planes * words;
        long[] hist = counts.counts();
        long[] colHist = counts.columnCounts();
        for (int nl = 0; nl < perGroup; nl++) {
            int n = first + nl;
            int offset = n * stride;
            for (int j = 0; j < slices; j++) {
                int pm = m.base(nl, j, 0, 0);
                int zero = tb.zero[j * channels + n];
                boolean skipZeros = Float.floatToRawIntBits(table[zero]) == 0;
                for (int i = 0; i < planes; i++) {
                    int[] list = skipZeros ? plan.nonZero : plan.all;
                    int from = skipZeros ? i * plan.block : 0;
                    int to = from + (skipZeros ? plan.nonZeroCount[i] : count);
                    float al = alpha[j * planes + i];
                    int h0 = counts.zeroIndex(t, i, j);
                    int c0 = counts.columnZeroIndex(t, j, n, i);
                    hist[h0] += count - (to - from);
                    if (colHist != null) {
                        colHist[c0] += count - (to - from);
                    }
                    for (int k = from; k < to; k++) {
                        int pc = list[k];
                        int ab = pc * perPos + i * words;
                        long x0 = a[ab];
                        int s = Long.bitCount(x0 & mk[pm]) - Long.bitCount(x0 & mk[pm + words]);
                        if (words == 2) {
                            long x1 = a[ab + 1];
                            s += Long.bitCount(x1 & mk[pm + 1]) - Long.bitCount(x1 & mk[pm + 3]);
                        }
                        out[outBase[pc] + offset] += al * table[zero + s];
                        hist[h0 + s]++;
                        if (colHist != null) {
                            colHist[c0 + s]++;
                        }
                    }
                }
            }
        }
    }

    private static void twoWords(long[] a, long p0, long p1, long n0, long n1, int[] list, int from, int to, int perPos,
                                 int plane, float al, float[] table, int zero, float[] out, int[] outBase, int offset) {
        for (int k = from; k < to; k++) {
            int pc = list[k];
            int ab = pc * perPos + plane;
            long x0 = a[ab];
            long x1 = a[ab + 1];
            int s = Long.bitCount(x0 & p0) - Long.bitCount(x0 & n0) + Long.bitCount(x1 & p1) - Long.bitCount(x1 & n1);
            out[outBase[pc] + offset] += al * table[zero + s];
        }
    }

    private static void oneWord(long[] a, long p0, long n0, int[] list, int from, int to, int perPos, int plane, float al,
                                float[] table, int zero, float[] out, int[] outBase, int offset) {
        for (int k = from; k < to; k++) {
            int pc = list[k];
            long x = a[pc * perPos + plane];
            out[outBase[pc] + offset] += al * table[zero + Long.bitCount(x & p0) - Long.bitCount(x & n0)];
        }
    }
}
