package org.cimq.cim.train;

import org.cimq.cim.WeightSlices;

/**
 * The two counts of {@link ExactSte} for one array, from bit-packed partial sums: the array's rows of every
 * weight slice j, cell bit b and output channel o are two bit masks (cells holding +1 and −1 of that bit), an
 * input row's plane i and DAC bit u another, so a partial sum is
 * {@code ps[i, j] = Σ_u Σ_b 2^(u+b)·(popcount(x[i,u] & pos[j,b]) − popcount(x[i,u] & neg[j,b]))} — an exact
 * integer, as on the array. A partial sum is in range when {@code min[j·N + o] ≤ ps ≤ max[j·N + o]}; per
 * output position r and channel o, C[j] counts the planes in range for slice j and E[i] the slices in range
 * for plane i, and they weight G = dL/d(acc) into H and F ({@link #weigh}).
 */
final class InRangeCounts {
    private final int n;
    private final int k0;
    private final int kt;
    private final int words;
    private final int planes;
    private final int dacBits;
    private final int slices;
    private final int cellBits;
    private final long[] pos;
    private final long[] neg;
    private final int[] min;
    private final int[] max;
    private final boolean single;

    /**
     * @param q   weight codes [N, K] (integers in ±(2^(Bw−1) − 1)); slice j of code w holds {@code weightSlices.digit(w, j)},
     *            whose sign is w's (differential scheme)
     * @param min least in-range partial sum per column j·N + o of this array
     * @param max greatest in-range partial sum per column
     */
    InRangeCounts(float[] q, int n, int k, int k0, int kt, int planes, int dacBits, WeightSlices weightSlices, int cellBits, int[] min,
                  int[] max) {
        int slices = weightSlices.count();
        this.n = n;
        this.k0 = k0;
        this.kt = kt;
        this.words = (kt + 63) / 64;
        this.planes = planes;
        this.dacBits = dacBits;
        this.slices = slices;
        this.cellBits = cellBits;
        this.min = min;
        this.max = max;
        this.single = dacBits == 1 && cellBits == 1;
        this.pos = new long[slices * cellBits * n * words];
        this.neg = new long[slices * cellBits * n * words];
        for (int o = 0; o < n; o++) {
            for (int kk = 0; kk < kt; kk++) {
                int w = (int) q[o * k + k0 + kk];
                long[] side = w < 0 ? neg : pos;
                for (int j = 0; j < slices; j++) {
                    int cell = Math.abs(weightSlices.digit(w, j));
                    for (int b = 0; b < cellBits; b++) {
                        if (((cell >> b) & 1) != 0) {
                            side[(((j * cellBits + b) * n + o) * words) + kk / 64] |= 1L << (kk % 64);
                        }
                    }
                }
            }
        }
    }

    /**
     * For m im2col rows of input codes ({@code cols}, K columns) and G [m, N]: H [m, S·N] = 2^(j·c)·G·C[j]/P and
     * F [P·m, N] (row i·m + r) = 2^(i·d)·G·E[i]/S.
     */
    void weigh(float[] cols, int m, int k, float[] g, float[] h, float[] f) {
        int bits = planes * dacBits;
        ParallelLoops.forRange(m, (from, to) -> {
            long[] x = new long[bits * words];
            int[] c = new int[slices * n];
            int[] e = new int[planes * n];
            for (int r = from; r < to; r++) {
                java.util.Arrays.fill(x, 0L);
                int base = r * k + k0;
                for (int kk = 0; kk < kt; kk++) {
                    int code = (int) cols[base + kk];
                    int word = kk >>> 6;
                    int shift = kk & 63;
                    for (int bit = 0; bit < bits; bit++) {
                        x[bit * words + word] |= (long) ((code >>> bit) & 1) << shift;
                    }
                }
                java.util.Arrays.fill(e, 0);
                if (single) {
                    countOneBit(x, c, e);
                } else {
                    for (int o = 0; o < n; o++) {
                        for (int j = 0; j < slices; j++) {
                            int jo = j * n + o;
                            int count = 0;
                            for (int i = 0; i < planes; i++) {
                                int ps = partialSum(x, i, j, o);
                                int in = 1 - (((ps - min[jo]) | (max[jo] - ps)) >>> 31); // min <= ps <= max, no branch
                                count += in;
                                e[i * n + o] += in;
                            }
                            c[jo] = count;
                        }
                    }
                }
                for (int j = 0; j < slices; j++) {
                    float w = Math.scalb(1f, j * cellBits) / planes;
                    for (int o = 0; o < n; o++) {
                        h[r * slices * n + j * n + o] = g[r * n + o] * c[j * n + o] * w;
                    }
                }
                for (int i = 0; i < planes; i++) {
                    float w = Math.scalb(1f, i * dacBits) / slices;
                    for (int o = 0; o < n; o++) {
                        f[(i * m + r) * n + o] = g[r * n + o] * e[i * n + o] * w;
                    }
                }
            }
        });
    }

    /** {@link #weigh}'s counts for one-bit cells and one-bit DACs: each partial sum is a popcount difference. */
    private void countOneBit(long[] x, int[] c, int[] e) {
        for (int j = 0; j < slices; j++) {
            for (int o = 0; o < n; o++) {
                int jo = j * n + o;
                int ws = jo * words;
                int lo = min[jo];
                int hi = max[jo];
                int count = 0;
                for (int i = 0; i < planes; i++) {
                    int xs = i * words;
                    int ps = 0;
                    for (int w = 0; w < words; w++) {
                        long a = x[xs + w];
                        ps += Long.bitCount(a & pos[ws + w]) - Long.bitCount(a & neg[ws + w]);
                    }
                    int in = 1 - (((ps - lo) | (hi - ps)) >>> 31);
                    count += in;
                    e[i * n + o] += in;
                }
                c[jo] = count;
            }
        }
    }

    private int partialSum(long[] x, int i, int j, int o) {
        int ps = 0;
        for (int u = 0; u < dacBits; u++) {
            int xs = (i * dacBits + u) * words;
            for (int b = 0; b < cellBits; b++) {
                int ws = ((j * cellBits + b) * n + o) * words;
                int s = 0;
                for (int w = 0; w < words; w++) {
                    long a = x[xs + w];
                    s += Long.bitCount(a & pos[ws + w]) - Long.bitCount(a & neg[ws + w]);
                }
                ps += s << (u + b);
            }
        }
        return ps;
    }
}
