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
 * per-channel weight quantization, input quantization with s_x, bit planes, weight slices,
 * the partial sums of every array (a 0/1 row mask per array on the stacked slices, so all
 * planes × arrays × slices are one Conv or MatMul), the ADC, shift-add, scales and bias.
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

    /** Conv: x [B, C, H, W], w [N, C, kh, kw] (shape ws), bias [1, N, 1, 1] or null; output [B, N, outH, outW]. */
    SDVariable conv(SDVariable x, SDVariable w, long[] ws, SDVariable bias, Conv2DConfig conv, long outH, long outW, LayerQuant q) {
        int n = (int) ws[0];
        SDVariable sw = weightScales(w, 1, 2, 3);
        SDVariable qw = weightCodes(w, sw);
        SDVariable a = inputCodes(x, q.inputScale());
        SDVariable acc;
        if (fakeQuant) {
            acc = sd.cnn().conv2d(a, sd.permute(qw, 2, 3, 1, 0), conv);
        } else {
            List<SDVariable> columns = new ArrayList<>();
            for (int t = 0; t < q.arrays(); t++) {
                SDVariable mask = q.arrays() == 1 ? null : sd.constant(rowMask(q.rowStarts(), t, new long[] {1, ws[1], ws[2], ws[3]}));
                for (SDVariable s : slices(qw)) {
                    columns.add(mask == null ? s : s.mul(mask));
                }
            }
            SDVariable stacked = sd.concat(0, columns.toArray(SDVariable[]::new));
            SDVariable ps = sd.cnn().conv2d(sd.concat(0, planes(a).toArray(SDVariable[]::new)), sd.permute(stacked, 2, 3, 1, 0), conv);
            SDVariable adc = adc(ps, q);
            int p = planeCount();
            int ts = q.arrays() * sliceCount();
            SDVariable split = sd.reshape(adc, p, -1, ts, n, outH * outW);
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
            List<SDVariable> columns = new ArrayList<>();
            for (int t = 0; t < q.arrays(); t++) {
                SDVariable mask = q.arrays() == 1 ? null : sd.constant(rowMask(q.rowStarts(), t, new long[] {ws[0], 1}));
                for (SDVariable s : slices(qw)) {
                    columns.add(mask == null ? s : s.mul(mask));
                }
            }
            SDVariable ps = sd.mmul(sd.concat(0, planes(a).toArray(SDVariable[]::new)), sd.concat(1, columns.toArray(SDVariable[]::new)));
            SDVariable adc = adc(ps, q);
            int p = planeCount();
            int ts = q.arrays() * sliceCount();
            SDVariable split = sd.reshape(adc, p, -1, ts, n);
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

    /** Plane i: digit i of the input codes, gradient 1/(P·2^(i·d)) of the codes'. */
    private List<SDVariable> planes(SDVariable a) {
        int p = planeCount();
        List<SDVariable> out = new ArrayList<>();
        for (int i = 0; i < p; i++) {
            out.add(ste.pass(ste.digit(ste.sg(a), i, cfg.dacBits()), a, 1.0 / (p * Math.scalb(1.0, i * cfg.dacBits()))));
        }
        return out;
    }

    /** Slice j: sign(q)·digit_j(|q|), gradient 1/(S·2^(j·c)) of the codes'. */
    private List<SDVariable> slices(SDVariable qw) {
        int s = sliceCount();
        SDVariable exact = ste.sg(qw);
        SDVariable sign = sd.math().sign(exact);
        SDVariable mag = sd.math().abs(exact);
        List<SDVariable> out = new ArrayList<>();
        for (int j = 0; j < s; j++) {
            SDVariable value = ste.digit(mag, j, cfg.cellBits()).mul(sign);
            out.add(ste.pass(value, qw, 1.0 / (s * Math.scalb(1.0, j * cfg.cellBits()))));
        }
        return out;
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

    /** 1 on the im2col rows [rowStarts[t], rowStarts[t+1]) in the weight's (cin, kh, kw) order, else 0. */
    static INDArray rowMask(int[] rowStarts, int t, long[] shape) {
        int k = rowStarts[rowStarts.length - 1];
        float[] m = new float[k];
        for (int r = rowStarts[t]; r < rowStarts[t + 1]; r++) {
            m[r] = 1f;
        }
        return Nd4j.create(m, shape, 'c');
    }
}
