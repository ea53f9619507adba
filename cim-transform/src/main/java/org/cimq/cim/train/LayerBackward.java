package org.cimq.cim.train;

import org.cimq.cim.MappedLayer;
import org.cimq.cim.config.CimConfig;
import org.cimq.ir.Node;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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
    /** 1.5·2^23: adding and subtracting it rounds a float32 below 2^22 in magnitude to an integer, half to even. */
    private static final double MAGIC = 12582912.0;
    private final CimConfig cfg;

    LayerBackward(CimConfig cfg) {
        this.cfg = cfg;
    }

    /** dL/dx, dL/dW (the initializer's layout) and dL/dbias (or null when there is no bias input). */
    record Grads(INDArray input, INDArray weight, INDArray bias) { }

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
    Grads mappedConv(Node n, MappedLayer l, INDArray x, INDArray w, INDArray b, INDArray dy, float s) {
        long outs = w.size(0);
        INDArray sw = weightScales(w.reshape('c', outs, -1), 1).reshape(outs, 1, 1, 1);
        INDArray u = w.div(sw);
        int qmax = qmax();
        INDArray q = roundedClamp(u, -qmax, qmax);
        INDArray v = x.div((double) s);
        int amax = (1 << cfg.inputBits()) - 1;
        INDArray a = roundedClamp(v, 0, amax);
        INDArray dAcc = dy.mul(sw.mul((double) s).reshape(1, outs, 1, 1));
        INDArray[] g = convBp(ConvAttrs.of(n, w.shape()), a, q, null, dAcc);
        INDArray dx = g[0].divi((double) s).muli(inside(v, 0, amax));
        INDArray dw = g[1].divi(sw).muli(inside(u, -qmax, qmax));
        INDArray db = b == null ? null : dy.sum(0, 2, 3).reshape(b.shape().clone());
        return new Grads(dx, dw, db);
    }

    /**
     * A mapped Gemm or MatMul as the fake-quantized layer: x [B, K]; {@code bMat} the initializer ([N, K] when
     * transB, else [K, N]); {@code c} Gemm's C (one value per output) or null.
     */
    Grads mappedMatrix(Node n, MappedLayer l, INDArray x, INDArray bMat, INDArray c, INDArray dy, float s) {
        boolean transB = n.opType().equals("Gemm") && n.attrInt("transB", 0) != 0;
        double beta = n.opType().equals("Gemm") ? n.attrFloat("beta", 1f) : 1;
        INDArray w = transB ? bMat.transpose().dup('c') : bMat;
        INDArray sw = weightScales(w, 0);
        INDArray u = w.div(sw);
        int qmax = qmax();
        INDArray q = roundedClamp(u, -qmax, qmax);
        INDArray v = x.div((double) s);
        int amax = (1 << cfg.inputBits()) - 1;
        INDArray a = roundedClamp(v, 0, amax);
        INDArray scale = sw.mul((double) s);
        if (l.alpha() != 1f) {
            scale = scale.mul((double) l.alpha());
        }
        INDArray dAcc = dy.mul(scale);
        INDArray dx = dAcc.mmul(q.transpose()).divi((double) s).muli(inside(v, 0, amax));
        INDArray dw = a.transpose().mmul(dAcc).divi(sw).muli(inside(u, -qmax, qmax));
        INDArray dC = c == null ? null : OpBackward.reduceTo(beta == 1 ? dy : dy.mul(beta), c.shape());
        return new Grads(dx, transB ? dw.transpose().dup('c') : dw, dC);
    }

    /** s_w = max|w| / qmax along {@code axis} (kept as size 1), 1 where it is all zero. */
    private INDArray weightScales(INDArray w, int axis) {
        INDArray max = Transforms.abs(w, true).max(true, axis);
        INDArray zero = max.eq(0.0).castTo(w.dataType());
        return max.divi((double) qmax()).addi(zero);
    }

    private int qmax() {
        return (1 << (cfg.weightBits() - 1)) - 1;
    }

    private static INDArray roundedClamp(INDArray u, double lo, double hi) {
        return Transforms.min(Transforms.max(u, lo, true), hi, false).addi(MAGIC).subi(MAGIC);
    }

    /** 1 where lo < u < hi, else 0 (SameDiff's clipByValue gradient). */
    private static INDArray inside(INDArray u, double lo, double hi) {
        return u.gt(lo).castTo(u.dataType()).muli(u.lt(hi).castTo(u.dataType()));
    }

    /** ND4J's conv2d_bp (NCHW, weights [N, C, kh, kw]): dL/dx, dL/dw and, with a bias, dL/db. */
    private static INDArray[] convBp(Conv2DConfig c, INDArray x, INDArray w, INDArray b, INDArray dy) {
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp");
        if (b == null) {
            op.addInputs(x, w, dy);
        } else {
            op.addInputs(x, w, b.reshape(b.length()), dy);
        }
        op.addIntegerArguments((int) c.getKH(), (int) c.getKW(), (int) c.getSH(), (int) c.getSW(), (int) c.getPH(), (int) c.getPW(),
                (int) c.getDH(), (int) c.getDW(), 0, 0, 1);
        INDArray[] out = Nd4j.exec(op.build());
        if (b != null) {
            out[2] = out[2].reshape(b.shape().clone());
        }
        return out;
    }
}
