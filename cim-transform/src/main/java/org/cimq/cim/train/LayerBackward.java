package org.cimq.cim.train;

import org.cimq.cim.MappedLayer;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Node;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reverse-mode gradients of Conv, Gemm and MatMul for the {@link Backward#FAKE_QUANT} engine, as
 * eager ND4J operations. A digital layer is differentiated as the float op. A mapped layer is
 * differentiated as the fake-quantized layer of {@link CimLayerOps} ({@code fakeQuant}): output
 * {@code conv(a, q)·s_w[n]·s_x + bias} with input codes {@code a = round(clamp(x/s_x, 0, 2^Ba−1))}
 * and weight codes {@code q = round(clamp(w/s_w, −qmax, qmax))}; rounding passes the gradient
 * straight through where the clamp's argument is strictly inside its range (as SameDiff's
 * clipByValue) and s_w = max|w[n]|/qmax is a constant. No ADC and no arrays appear: the gradient is
 * the fake-quantized layer's, taken at the operating point the caller's forward values give.
 */
final class LayerBackward {
    private final CimConfig cfg;
    private final ExactSte exact;

    LayerBackward(CimConfig cfg) {
        this(cfg, false);
    }

    /** @param exact differentiate mapped layers with an ADC through their arrays ({@link ExactSte}) instead */
    LayerBackward(CimConfig cfg, boolean exact) {
        this.cfg = cfg;
        this.exact = exact ? new ExactSte(cfg) : null;
    }

    /**
     * dL/dx, dL/dW (the initializer's layout), dL/dbias (or null when there is no bias input) and, for a mapped layer,
     * dL/ds_x as {@link Codes#scaleGradient} defines it (0 for a digital layer).
     */
    record Grads(INDArray input, INDArray weight, INDArray bias, double inputScale) {
        Grads(INDArray input, INDArray weight, INDArray bias) {
            this(input, weight, bias, 0);
        }
    }

    /** A float Conv (group 1): x [B, C, H, W], w [N, C, kh, kw], b [N] or null. */
    Grads digitalConv(Node n, INDArray x, INDArray w, INDArray b, INDArray dy) {
        INDArray[] g = convBp(ConvAttrs.of(n, w.shape()), x, w, b, dy);
        return new Grads(g[0], g[1], b == null ? null : g[2]);
    }

    /** A float Gemm (transA 0) or rank-2 MatMul: y = alpha·x·op(B) + beta·C. */
    Grads digitalMatrix(Node n, INDArray x, INDArray bMat, INDArray c, INDArray dy) {
        boolean gemm = n.opType().equals("Gemm");
        boolean transB = gemm && n.attrInt("transB", 0) != 0;
        double alpha = gemm ? n.attrFloat("alpha", 1f) : 1;
        double beta = gemm ? n.attrFloat("beta", 1f) : 1;
        INDArray opB = transB ? bMat.transpose() : bMat;
        INDArray dx = dy.mmul(opB.transpose());
        INDArray dOpB = x.transpose().mmul(dy);
        if (alpha != 1) {
            dx.muli(alpha);
            dOpB.muli(alpha);
        }
        INDArray dB = transB ? dOpB.transpose().dup('c') : dOpB;
        INDArray dC = c == null ? null : OpBackward.reduceTo(beta == 1 ? dy : dy.mul(beta), c.shape());
        return new Grads(dx, dB, dC);
    }

    /** A mapped Conv as the fake-quantized layer, input scale {@code s}. */
    Grads mappedConv(Node n, MappedLayer l, INDArray x, INDArray w, INDArray b, INDArray dy, float s, INDArray y) {
        return mappedConv(n, l, x, w, b, dy, s, y, null);
    }

    /**
     * As above; with {@code arrays} (the layer's quantizer, L &gt; 0) and an exact engine, the accumulation's gradient
     * is the exact straight-through one of the layer's arrays ({@link ExactSte}) instead of the fake-quantized layer's.
     */
    Grads mappedConv(Node n, MappedLayer l, INDArray x, INDArray w, INDArray b, INDArray dy, float s, INDArray y,
                     LayerQuant arrays) {
        int outs = (int) w.size(0);
        Codes wq = weightCodes(FloatArrays.of(w), outs, (int) (w.length() / outs));
        Codes xq = inputCodes(FloatArrays.of(x), s);
        float[] g = FloatArrays.of(dy);
        int batch = (int) dy.size(0);
        int area = (int) (dy.length() / ((long) batch * outs));
        float[] dAcc = new float[g.length];
        float[] db = new float[outs];
        for (int bi = 0, i = 0; bi < batch; bi++) {
            for (int c = 0; c < outs; c++) {
                float k = wq.scale[c] * s;
                float sum = 0;
                for (int p = 0; p < area; p++, i++) {
                    dAcc[i] = g[i] * k;
                    sum += g[i];
                }
                db[c] += sum;
            }
        }
        INDArray aArr = FloatArrays.array(xq.codes, x.shape());
        INDArray qArr = FloatArrays.array(wq.codes, w.shape());
        Conv2DConfig conf = ConvAttrs.of(n, w.shape());
        if (y != null) {
            INDArray accFq = Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(aArr, qArr).addIntegerArguments(convArgs(conf)).build())[0];
            attenuate(dAcc, FloatArrays.of(accFq), FloatArrays.of(y), b == null ? null : FloatArrays.of(b), wq.scale, s, outs, area);
        }
        float[] dCodes;
        float[] dQ;
        if (exact != null && arrays != null && arrays.levels() > 0) {
            ExactSte.CodeGrads cg = exact.conv(conf, xq.codes, x.shape(), wq.codes, outs, dAcc, dy.shape(), arrays);
            dCodes = cg.input();
            dQ = cg.weight();
        } else {
            INDArray[] bp = convBp(conf, aArr, qArr, null, FloatArrays.array(dAcc, dy.shape()));
            dCodes = FloatArrays.of(bp[0]);
            dQ = FloatArrays.of(bp[1]);
        }
        return new Grads(FloatArrays.array(xq.backward(dCodes, s), x.shape()),
                FloatArrays.array(wq.backward(dQ), w.shape()),
                b == null ? null : FloatArrays.array(db, b.shape()), xq.scaleGradient(dCodes, FloatArrays.of(x), s));
    }

    /**
     * A mapped Gemm or MatMul as the fake-quantized layer: x [B, K]; {@code bMat} the initializer ([N, K] when
     * transB, else [K, N]); {@code c} Gemm's C (one value per output) or null.
     */
    Grads mappedMatrix(Node n, MappedLayer l, INDArray x, INDArray bMat, INDArray c, INDArray dy, float s, INDArray y) {
        return mappedMatrix(n, l, x, bMat, c, dy, s, y, null);
    }

    /** As above, with {@code arrays} as {@link #mappedConv(Node, MappedLayer, INDArray, INDArray, INDArray, INDArray, float, INDArray, LayerQuant)} says. */
    Grads mappedMatrix(Node n, MappedLayer l, INDArray x, INDArray bMat, INDArray c, INDArray dy, float s, INDArray y,
                       LayerQuant arrays) {
        boolean transB = n.opType().equals("Gemm") && n.attrInt("transB", 0) != 0;
        double beta = n.opType().equals("Gemm") ? n.attrFloat("beta", 1f) : 1;
        int outs = (int) (transB ? bMat.size(0) : bMat.size(1));
        int rows = (int) (bMat.length() / outs);
        INDArray wNk = transB ? bMat : bMat.transpose();
        Codes wq = weightCodes(FloatArrays.of(wNk), outs, rows);
        Codes xq = inputCodes(FloatArrays.of(x), s);
        float[] g = FloatArrays.of(dy);
        float[] dAcc = new float[g.length];
        for (int i = 0; i < g.length; i++) {
            float k = wq.scale[i % outs] * s;
            dAcc[i] = g[i] * (l.alpha() != 1f ? k * l.alpha() : k);
        }
        INDArray qNk = FloatArrays.array(wq.codes, outs, rows);
        INDArray aArr = FloatArrays.array(xq.codes, x.shape());
        if (y != null) {
            float[] bias = c == null ? null : FloatArrays.of(c.reshape(outs).mul(beta));
            float[] k = wq.scale.clone();
            for (int i = 0; i < k.length; i++) {
                k[i] *= l.alpha();
            }
            attenuate(dAcc, FloatArrays.of(aArr.mmul(qNk.transpose())), FloatArrays.of(y), bias, k, s, outs, 1);
        }
        float[] dCodes;
        float[] dQ;
        if (exact != null && arrays != null && arrays.levels() > 0) {
            ExactSte.CodeGrads cg = exact.matrix(xq.codes, (int) x.size(0), rows, wq.codes, outs, dAcc, arrays);
            dCodes = cg.input();
            dQ = cg.weight();
        } else {
            INDArray acc = FloatArrays.array(dAcc, dy.shape());
            dCodes = FloatArrays.of(acc.mmul(qNk));
            dQ = FloatArrays.of(acc.transpose().mmul(aArr));
        }
        INDArray dW = FloatArrays.array(wq.backward(dQ), outs, rows);
        INDArray dC = c == null ? null : OpBackward.reduceTo(beta == 1 ? dy : dy.mul(beta), c.shape());
        return new Grads(FloatArrays.array(xq.backward(dCodes, s), x.shape()),
                transB ? dW : dW.transpose().dup('c'), dC, xq.scaleGradient(dCodes, FloatArrays.of(x), s));
    }

    /**
     * Multiplies dAcc[b, n, p] by clamp(acc_cim / acc_fq, 0, 1), where acc_cim = (y − bias[n]) / (k[n]·s) is the
     * runtime's accumulation after the ADCs and acc_fq the fake-quantized one; 1 where |acc_fq| &lt; 1.
     */
    private static void attenuate(float[] dAcc, float[] accFq, float[] y, float[] bias, float[] k, float s, int outs, int area) {
        ParallelLoops.forRange(dAcc.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                int c = (i / area) % outs;
                float fq = accFq[i];
                if (Math.abs(fq) >= 1f) {
                    float cim = (y[i] - (bias == null ? 0f : bias[c])) / (k[c] * s);
                    dAcc[i] *= Math.min(1f, Math.max(0f, cim / fq));
                }
            }
        });
    }

    /** Integer codes (as floats), which of them pass a gradient, and (weights) the scale of every {@code per} codes. */
    private record Codes(float[] codes, boolean[] inside, float[] scale, int per) {
        /** dL/dx from dL/d(codes) for input codes of scale s: divided by s, zero where clamped. */
        float[] backward(float[] dCodes, float s) {
            float[] out = new float[dCodes.length];
            ParallelLoops.forRange(out.length, (from, to) -> {
                for (int i = from; i < to; i++) {
                    out[i] = inside[i] ? dCodes[i] / s : 0f;
                }
            });
            return out;
        }

        /**
         * dL/ds_x of input codes of scale s, LSQ's straight-through gradient (Esser et al., "Learned Step Size
         * Quantization"): the layer sees x̂ = s·a with a = round(clamp(x/s, 0, amax)), so with rounding passed through,
         * dx̂/ds = a − x/s where 0 &lt; x/s &lt; amax, amax where x/s ≥ amax and 0 where x ≤ 0; dL/dx̂ = dL/da / s.
         * Summed over the batch in double, in element order.
         */
        double scaleGradient(float[] dCodes, float[] x, float s) {
            double sum = 0;
            for (int i = 0; i < dCodes.length; i++) {
                if (inside[i] || codes[i] != 0f) {
                    sum += (double) dCodes[i] * (inside[i] ? codes[i] - x[i] / s : codes[i]);
                }
            }
            return sum / s;
        }

        /** dL/dw from dL/d(codes) for weight codes: divided by the channel's scale, zero where clamped. */
        float[] backward(float[] dCodes) {
            float[] out = new float[dCodes.length];
            ParallelLoops.forRange(out.length, (from, to) -> {
                for (int i = from; i < to; i++) {
                    out[i] = inside[i] ? dCodes[i] / scale[i / per] : 0f;
                }
            });
            return out;
        }
    }

    /** a = round(clamp(x/s, 0, 2^Ba − 1)) (float32 division, half to even), gradient where 0 < x/s < 2^Ba − 1. */
    private Codes inputCodes(float[] x, float s) {
        float amax = (1 << cfg.inputBits()) - 1;
        float[] a = new float[x.length];
        boolean[] in = new boolean[x.length];
        ParallelLoops.forRange(x.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                float v = x[i] / s;
                a[i] = (float) Math.rint(Math.min(Math.max(v, 0f), amax));
                in[i] = v > 0f && v < amax;
            }
        });
        return new Codes(a, in, null, 1);
    }

    /**
     * Weight codes of w, {@code outs} channels of {@code per} consecutive values: s_w = max|w| / qmax (1 for an
     * all-zero channel), q = round(clamp(w/s_w, −qmax, qmax)), gradient where strictly inside.
     */
    private Codes weightCodes(float[] w, int outs, int per) {
        float qmax = (1 << (cfg.weightBits() - 1)) - 1;
        float[] scale = new float[outs];
        float[] q = new float[w.length];
        boolean[] in = new boolean[w.length];
        for (int c = 0; c < outs; c++) {
            float max = 0;
            for (int i = c * per; i < (c + 1) * per; i++) {
                max = Math.max(max, Math.abs(w[i]));
            }
            scale[c] = max / qmax + (max == 0 ? 1f : 0f);
            for (int i = c * per; i < (c + 1) * per; i++) {
                float u = w[i] / scale[c];
                q[i] = (float) Math.rint(Math.min(Math.max(u, -qmax), qmax));
                in[i] = u > -qmax && u < qmax;
            }
        }
        return new Codes(q, in, scale, per);
    }

    /** conv2d's integer arguments: NCHW, weights [N, C, kh, kw]. */
    private static int[] convArgs(Conv2DConfig c) {
        return new int[] {(int) c.getKH(), (int) c.getKW(), (int) c.getSH(), (int) c.getSW(), (int) c.getPH(), (int) c.getPW(),
            (int) c.getDH(), (int) c.getDW(), 0, 0, 1};
    }

    /** ND4J's conv2d_bp (NCHW, weights [N, C, kh, kw]): dL/dx, dL/dw and, with a bias, dL/db. */
    private static INDArray[] convBp(Conv2DConfig c, INDArray x, INDArray w, INDArray b, INDArray dy) {
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp");
        if (b == null) {
            op.addInputs(x, w, dy);
        } else {
            op.addInputs(x, w, b.reshape(b.length()), dy);
        }
        op.addIntegerArguments(convArgs(c));
        INDArray[] out = Nd4j.exec(op.build());
        if (b != null) {
            out[2] = out[2].reshape(b.shape().clone());
        }
        return out;
    }
}
