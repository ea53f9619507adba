package org.cimq.ir.passes;

import java.util.List;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.Value;

/**
 * Folds an inference BatchNormalization into the Conv that feeds it (CIM-SPEC: BN is folded
 * before weights are quantized). With {@code k = scale / sqrt(var + epsilon)} per output
 * channel: {@code W'[o] = W[o] * k[o]} and {@code b'[o] = (b[o] - mean[o]) * k[o] + B[o]}.
 * Applies when the Conv's weight (and bias, if any) and all BN parameters are float constants,
 * the Conv output feeds only the BN, and the BN is in inference form (one output, no
 * training_mode). Arithmetic is in double, stored as float.
 */
public final class BatchNormFolding implements Pass {
    @Override
    public boolean run(Model model) {
        Graph g = model.graph();
        boolean changed = false;
        for (Node bn : List.copyOf(g.nodes())) {
            if (!bn.opType().equals("BatchNormalization") || !bn.domain().isEmpty() || bn.attrInt("training_mode", 0) != 0
                    || bn.attrInt("spatial", 1) != 1 || bn.outputs().stream().skip(1).anyMatch(v -> v != null && !v.uses().isEmpty())) {
                continue;
            }
            Value x = bn.input(0);
            Node conv = x.producer();
            if (conv == null || !conv.opType().equals("Conv") || !conv.domain().isEmpty() || x.uses().size() != 1
                    || g.isGraphOutput(x) || !constantFloats(conv.input(1)) || (conv.input(2) != null && !constantFloats(conv.input(2)))
                    || !constantFloats(bn.input(1)) || !constantFloats(bn.input(2)) || !constantFloats(bn.input(3))
                    || !constantFloats(bn.input(4))) {
                continue;
            }
            fold(g, conv, bn);
            changed = true;
        }
        return changed;
    }

    private static boolean constantFloats(Value v) {
        return v != null && v.isConstant() && v.constant().dtype().isFloatingPoint();
    }

    private static void fold(Graph g, Node conv, Node bn) {
        Tensor w = conv.input(1).constant();
        long[] ws = w.shape();
        int out = (int) ws[0];
        int per = (int) (w.numel() / out);
        double[] scale = bn.input(1).constant().toDoubleArray();
        double[] beta = bn.input(2).constant().toDoubleArray();
        double[] mean = bn.input(3).constant().toDoubleArray();
        double[] var = bn.input(4).constant().toDoubleArray();
        double eps = bn.attrFloat("epsilon", 1e-5f);
        double[] bias = conv.input(2) == null ? new double[out] : conv.input(2).constant().toDoubleArray();
        double[] wv = w.toDoubleArray();
        float[] nw = new float[wv.length];
        float[] nb = new float[out];
        for (int o = 0; o < out; o++) {
            double k = scale[o] / Math.sqrt(var[o] + eps);
            for (int i = 0; i < per; i++) {
                nw[o * per + i] = (float) (wv[o * per + i] * k);
            }
            nb[o] = (float) ((bias[o] - mean[o]) * k + beta[o]);
        }
        String base = conv.name().isEmpty() ? conv.output(0).name() : conv.name();
        Value newW = Value.constant(base + "_bnfolded_weight", Tensor.ofFloats(ws, nw));
        Value newB = Value.constant(base + "_bnfolded_bias", Tensor.ofFloats(new long[] {out}, nb));
        g.addInitializer(newW);
        g.addInitializer(newB);
        conv.setInput(1, newW);
        conv.setInput(2, newB);
        Value y = bn.output(0);
        Value convOut = conv.output(0);
        g.replaceAllUsesWith(y, convOut);
        if (g.isGraphOutput(convOut)) {
            convOut.setName(y.name());
        }
        g.removeNode(bn);
    }
}
