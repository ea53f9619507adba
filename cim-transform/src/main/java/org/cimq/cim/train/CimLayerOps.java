package org.cimq.cim.train;

import java.util.ArrayList;
import java.util.List;
import org.cimq.cim.config.CimConfig;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The SameDiff forward of one mapped layer as CIM-SPEC computes it (differential weights, flat or
 * channel-aligned row tiles given by {@link LayerQuant#rowStarts}, zero-tread ADC, one Δ per layer):
 * per-channel weight quantization, input quantization with s_x, bit planes (stacked on the batch
 * axis), weight slices (stacked on the output axis), the partial sums of every array (one Conv or
 * MatMul per array over the input channels or rows it holds, with a 0/1 row mask where an array
 * boundary cuts a channel), the ADC, shift-add, scales and bias.
 * <p>
 * Gradients: straight-through rounding (1 inside the clamp ranges, 0 where clamped); the ADC
 * passes the gradient where the partial sum lies in [lo·Δ, hi·Δ] and 0 where clipped; plane i
 * receives 1/(P·2^(i·d)) of the input code's gradient and slice j 1/(S·2^(j·c)) of the weight
 * code's, so that with L = 0 the layer's gradients equal the fake-quantized layer's
 * ({@code fakeQuant}: the same codes, one plain Conv or MatMul, no planes, slices or arrays).
 * s_w is computed from the current weights and treated as a constant.
 */
final class CimLayerOps {
    private final SameDiff sd;
    private final Ste ste;
    private final CimConfig cfg;
    private final boolean fakeQuant;

    CimLayerOps(SameDiff sd, CimConfig cfg, boolean fakeQuant) {
        this.sd = sd;
        this.ste = new Ste(sd);
        this.cfg = cfg;
        this.fakeQuant = fakeQuant;
    }

    /**
     * Conv: x [B, C, H, W] (xs: its shape, B unknown), w [N, C, kh, kw] (shape ws), bias [1, N, 1, 1]
     * or null; output [B, N, outH, outW].
     */
    SDVariable conv(SDVariable x, long[] xs, SDVariable w, long[] ws, SDVariable bias, Conv2DConfig conv, long outH, long outW,
                    LayerQuant q) {
        int n = (int) ws[0];
        SDVariable sw = weightScales(w, 1, 2, 3);
        SDVariable qw = weightCodes(w, sw);
        SDVariable a = inputCodes(x, q.inputScale());
        SDVariable acc;
        if (fakeQuant) {
            acc = sd.cnn().conv2d(a, sd.permute(qw, 2, 3, 1, 0), conv);
        } else {
            SDVariable in = sd.reshape(planes(sd.reshape(a, 1, -1, xs[1], xs[2], xs[3]), 5), -1, xs[1], xs[2], xs[3]);
            SDVariable slices = sd.reshape(slices(sd.reshape(qw, 1, ws[0], ws[1], ws[2], ws[3]), 5), -1, ws[1], ws[2], ws[3]);
            int area = (int) (ws[2] * ws[3]);
            List<SDVariable> sums = new ArrayList<>();
            for (int t = 0; t < q.arrays(); t++) {
                int r0 = q.rowStarts()[t];
                int r1 = q.rowStarts()[t + 1];
                int c0 = r0 / area;
                int c1 = (r1 + area - 1) / area;
                boolean all = c0 == 0 && c1 == ws[1];
                SDVariable part = all ? slices : sd.slice(slices, new int[] {0, c0, 0, 0}, -1, c1 - c0, -1, -1);
                if (r0 % area != 0 || r1 % area != 0) {
                    part = part.mul(sd.constant(rowMask(r0 - c0 * area, r1 - c0 * area, new long[] {1, c1 - c0, ws[2], ws[3]})));
                }
                SDVariable input = all ? in : sd.slice(in, new int[] {0, c0, 0, 0}, -1, c1 - c0, -1, -1);
                sums.add(sd.cnn().conv2d(input, sd.permute(part, 2, 3, 1, 0), conv));
            }
            SDVariable ps = sums.size() == 1 ? sums.get(0) : sd.concat(1, sums.toArray(SDVariable[]::new));
            int p = planeCount();
            int ts = q.arrays() * sliceCount();
            SDVariable split = sd.reshape(adc(ps, q), p, -1, ts, n, outH * outW);
            SDVariable summed = sd.sum(split.mul(sd.constant(shiftWeights(p, q.arrays(), new long[] {p, 1, ts, 1, 1}))), 0, 2);
            acc = sd.reshape(summed, -1, n, outH, outW);
        }
        SDVariable scale = sd.reshape(sw, 1, n, 1, 1).mul((double) q.inputScale());
        SDVariable y = acc.mul(scale);
        return bias == null ? y : y.add(bias);
    }

    /** Gemm/MatMul: x [B, K], w [K, N] (shape ws), alpha, bias [1, N] or null; output [B, N]. */
    SDVariable matrix(SDVariable x, SDVariable w, long[] ws, float alpha, SDVariable bias, LayerQuant q) {
        int n = (int) ws[1];
        SDVariable sw = weightScales(w, 0);
        SDVariable qw = weightCodes(w, sw);
        SDVariable a = inputCodes(x, q.inputScale());
        SDVariable acc;
        if (fakeQuant) {
            acc = sd.mmul(a, qw);
        } else {
            SDVariable in = sd.reshape(planes(sd.reshape(a, 1, -1, ws[0]), 3), -1, ws[0]);
            SDVariable stacked = sd.permute(slices(sd.reshape(qw, 1, ws[0], ws[1]), 3), 1, 0, 2);
            SDVariable slices = sd.reshape(stacked, ws[0], -1);
            List<SDVariable> sums = new ArrayList<>();
            for (int t = 0; t < q.arrays(); t++) {
                boolean all = q.arrays() == 1;
                int r0 = q.rowStarts()[t];
                int rows = q.rowStarts()[t + 1] - r0;
                SDVariable part = all ? slices : sd.slice(slices, new int[] {r0, 0}, rows, -1);
                sums.add(sd.mmul(all ? in : sd.slice(in, new int[] {0, r0}, -1, rows), part));
            }
            SDVariable ps = sums.size() == 1 ? sums.get(0) : sd.concat(1, sums.toArray(SDVariable[]::new));
            int p = planeCount();
            int ts = q.arrays() * sliceCount();
            SDVariable split = sd.reshape(adc(ps, q), p, -1, ts, n);
            acc = sd.sum(split.mul(sd.constant(shiftWeights(p, q.arrays(), new long[] {p, 1, ts, 1}))), 0, 2);
        }
        SDVariable scale = sw.mul((double) q.inputScale());
        if (alpha != 1f) {
            scale = scale.mul((double) alpha);
        }
        SDVariable y = acc.mul(scale);
        return bias == null ? y : y.add(bias);
    }

    /** s_w = max|w| / (2^(B−1) − 1) over the given axes (kept), 1 where a channel is all zero; no gradient. */
    private SDVariable weightScales(SDVariable w, int... axes) {
        SDVariable max = sd.max(sd.math().abs(ste.sg(w)), true, axes);
        SDVariable zero = max.eq(0.0).castTo(DataType.FLOAT);
        return ste.sg(max.div((double) qmax()).add(zero));
    }

    private SDVariable weightCodes(SDVariable w, SDVariable sw) {
        return ste.clampRound(w.div(sw), -qmax(), qmax());
    }

    private SDVariable inputCodes(SDVariable x, float scale) {
        return ste.clampRound(x.div((double) scale), 0, (1 << cfg.inputBits()) - 1);
    }

    private int qmax() {
        return (1 << (cfg.weightBits() - 1)) - 1;
    }

    private int planeCount() {
        return (cfg.inputBits() + cfg.dacBits() - 1) / cfg.dacBits();
    }

    private int sliceCount() {
        return (cfg.weightBits() - 1 + cfg.cellBits() - 1) / cfg.cellBits();
    }

    /**
     * All bit planes of the codes a1 = a with a leading axis of size 1 ({@code rank} axes in all):
     * [P, ...], plane i = digit i of a in base 2^d, gradient 1/(P·2^(i·d)) of the codes'.
     */
    private SDVariable planes(SDVariable a1, int rank) {
        int p = planeCount();
        return digits(ste.sg(a1), p, cfg.dacBits(), rank).add(gradientShare(a1, p, cfg.dacBits(), rank));
    }

    /**
     * All weight slices of the codes q1 = q with a leading axis of size 1: [S, ...], slice j =
     * sign(q)·digit_j(|q|) in base 2^c, gradient 1/(S·2^(j·c)) of the codes'.
     */
    private SDVariable slices(SDVariable q1, int rank) {
        int s = sliceCount();
        SDVariable exact = ste.sg(q1);
        SDVariable values = digits(sd.math().abs(exact), s, cfg.cellBits(), rank).mul(sd.math().sign(exact));
        return ste.sg(values).add(gradientShare(q1, s, cfg.cellBits(), rank));
    }

    /** Digits 0..count-1 of the non-negative integers m ([1, ...]) in base 2^bits, as [count, ...]; no gradient. */
    private SDVariable digits(SDVariable m, int count, int bits, int rank) {
        SDVariable lo = sd.math().floor(m.mul(sd.constant(powers(count, bits, 0, rank))));
        SDVariable hi = sd.math().floor(m.mul(sd.constant(powers(count, bits, 1, rank))));
        return ste.sg(lo.sub(hi.mul(Math.scalb(1.0, bits))));
    }

    /** An exact zero of shape [count, ...] whose gradient towards u ([1, ...]) is Σ_i 1/(count·2^(i·bits)) of each share. */
    private SDVariable gradientShare(SDVariable u, int count, int bits, int rank) {
        float[] k = new float[count];
        for (int i = 0; i < count; i++) {
            k[i] = (float) (1.0 / (count * Math.scalb(1.0, i * bits)));
        }
        return u.sub(ste.sg(u)).mul(sd.constant(Nd4j.create(k, broadcastShape(count, rank), 'c')));
    }

    /** 2^(−(i + shift)·bits) for i < count, shaped [count, 1, ...] with {@code rank} axes. */
    private static INDArray powers(int count, int bits, int shift, int rank) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = (float) Math.scalb(1.0, -(i + shift) * bits);
        }
        return Nd4j.create(v, broadcastShape(count, rank), 'c');
    }

    private static long[] broadcastShape(int count, int rank) {
        long[] s = new long[rank];
        java.util.Arrays.fill(s, 1);
        s[0] = count;
        return s;
    }

    /** Q(v) = Δ·clamp(round(v/Δ), lo, hi), gradient 1 inside [lo·Δ, hi·Δ]; identity for L = 0. */
    private SDVariable adc(SDVariable ps, LayerQuant q) {
        int l = q.levels();
        if (l == 0) {
            return ps;
        }
        double lo = l % 2 == 1 ? -(l - 1) / 2.0 : -l / 2.0;
        double hi = l % 2 == 1 ? (l - 1) / 2.0 : l / 2.0 - 1;
        return ste.clampRound(ps.div((double) q.delta()), lo, hi).mul((double) q.delta());
    }

    /** 2^(i·d)·2^(j·c) for plane i and (array t, slice j) in the stacked order, shaped for broadcasting. */
    private INDArray shiftWeights(int planes, int arrays, long[] shape) {
        int s = sliceCount();
        float[] v = new float[planes * arrays * s];
        for (int i = 0; i < planes; i++) {
            for (int t = 0; t < arrays; t++) {
                for (int j = 0; j < s; j++) {
                    v[(i * arrays + t) * s + j] = (float) Math.scalb(1.0, i * cfg.dacBits() + j * cfg.cellBits());
                }
            }
        }
        return Nd4j.create(v, shape, 'c');
    }

    /** 1 on rows [from, to) of the flattened (cin, kh, kw) order, else 0. */
    static INDArray rowMask(int from, int to, long[] shape) {
        float[] m = new float[(int) (shape[1] * shape[2] * shape[3])];
        for (int r = from; r < to; r++) {
            m[r] = 1f;
        }
        return Nd4j.create(m, shape, 'c');
    }
}
