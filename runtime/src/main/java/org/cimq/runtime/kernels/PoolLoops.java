package org.cimq.runtime.kernels;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Max and average pooling over 1 to 3 spatial axes of an [N,C,spatial...] array, as plain loops
 * in double. Padded cells never take part in a maximum; they count in an average's divisor only
 * with count_include_pad, and then only as far as the explicit padding reaches (ceil_mode may
 * let a window run past it).
 */
final class PoolLoops {
    /** Pooled values in the input's type, and (max only, if asked) flat input indices as INT64. */
    record Result(INDArray values, INDArray indices) { }

    private PoolLoops() {
    }

    static Result pool(INDArray x, long[] k, long[] s, long[] d, WindowGeometry.Resolved g,
            boolean max, boolean countIncludePad, boolean indices, boolean columnMajor) {
        int r = k.length;
        long[] in = pad3(Arrays.copyOfRange(x.shape(), 2, 2 + r), 1);
        long[] kk = pad3(k, 1);
        long[] ss = pad3(s, 1);
        long[] dd = pad3(d, 1);
        long[] pb = pad3(g.padBegin(), 0);
        long[] pe = pad3(g.padEnd(), 0);
        long[] out = pad3(g.out(), 1);
        long planes = x.size(0) * x.size(1);
        int inPlane = Math.toIntExact(in[0] * in[1] * in[2]);
        int outPlane = Math.toIntExact(out[0] * out[1] * out[2]);
        double[] v = (x.isView() || x.ordering() != 'c' ? x.dup('c') : x).data().asDouble();
        double[] y = new double[Math.toIntExact(planes * outPlane)];
        long[] idx = indices ? new long[y.length] : null;
        int[][] lo = new int[3][];
        int[][] hi = new int[3][];
        int[][] inPad = new int[3][];
        for (int a = 0; a < 3; a++) {
            lo[a] = new int[(int) out[a]];
            hi[a] = new int[(int) out[a]];
            inPad[a] = new int[(int) out[a]];
            for (int o = 0; o < out[a]; o++) {
                long p0 = o * ss[a] - pb[a];
                lo[a][o] = (int) taps(-p0, dd[a], kk[a]);
                hi[a][o] = (int) taps(in[a] - p0, dd[a], kk[a]);
                inPad[a][o] = (int) (taps(in[a] + pe[a] - p0, dd[a], kk[a]) - taps(-pb[a] - p0, dd[a], kk[a]));
            }
        }
        int t = 0;
        for (long plane = 0; plane < planes; plane++) {
            int base = Math.toIntExact(plane * inPlane);
            for (int o0 = 0; o0 < out[0]; o0++) {
                for (int o1 = 0; o1 < out[1]; o1++) {
                    for (int o2 = 0; o2 < out[2]; o2++, t++) {
                        double best = Double.NEGATIVE_INFINITY;
                        long bestAt = -1;
                        double sum = 0;
                        for (int k0 = lo[0][o0]; k0 < hi[0][o0]; k0++) {
                            long i0 = o0 * ss[0] - pb[0] + k0 * dd[0];
                            for (int k1 = lo[1][o1]; k1 < hi[1][o1]; k1++) {
                                long i1 = o1 * ss[1] - pb[1] + k1 * dd[1];
                                for (int k2 = lo[2][o2]; k2 < hi[2][o2]; k2++) {
                                    long i2 = o2 * ss[2] - pb[2] + k2 * dd[2];
                                    double e = v[base + (int) ((i0 * in[1] + i1) * in[2] + i2)];
                                    if (max) {
                                        if (e > best || bestAt < 0) {
                                            best = e;
                                            bestAt = columnMajor ? i0 + in[0] * (i1 + in[1] * i2) : (i0 * in[1] + i1) * in[2] + i2;
                                        }
                                    } else {
                                        sum += e;
                                    }
                                }
                            }
                        }
                        if (max) {
                            y[t] = best;
                            if (idx != null) {
                                idx[t] = plane * inPlane + bestAt;
                            }
                        } else {
                            long n = countIncludePad
                                    ? (long) inPad[0][o0] * inPad[1][o1] * inPad[2][o2]
                                    : (long) (hi[0][o0] - lo[0][o0]) * (hi[1][o1] - lo[1][o1]) * (hi[2][o2] - lo[2][o2]);
                            y[t] = n == 0 ? Double.NaN : sum / n;
                        }
                    }
                }
            }
        }
        long[] shape = Arrays.copyOf(x.shape(), 2 + r);
        System.arraycopy(g.out(), 0, shape, 2, r);
        INDArray values = y.length == 0 ? Nd4j.create(x.dataType(), shape)
                : Nd4j.create(y, shape, 'c').castTo(x.dataType());
        INDArray ind = idx == null ? null : y.length == 0 ? Nd4j.create(DataType.LONG, shape) : Nd4j.createFromArray(idx).reshape('c', shape);
        return new Result(values, ind);
    }

    /** How many taps {@code 0, d, 2d, ...} below {@code k*d} lie below {@code limit}, in [0, k]. */
    private static long taps(long limit, long d, long k) {
        if (limit <= 0) {
            return 0;
        }
        return Math.min(k, (limit + d - 1) / d);
    }

    private static long[] pad3(long[] a, long fill) {
        long[] out = new long[3];
        Arrays.fill(out, fill);
        System.arraycopy(a, 0, out, 3 - a.length, a.length);
        return out;
    }
}
