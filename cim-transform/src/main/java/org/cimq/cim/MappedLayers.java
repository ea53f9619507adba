package org.cimq.cim;

import java.util.ArrayList;
import java.util.List;
import org.cimq.ir.DType;
import org.cimq.ir.Graph;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.Value;

/**
 * Finds the CIM-mappable layers of a cleaned-up model (see {@code ModelLoader.prepare}): every
 * Conv, Gemm and MatMul whose weight is a float constant, or in a QDQ model (see
 * {@link QdqPreparation}) a DequantizeLinear of integer constants, in graph order. A layer
 * reading a QuantizeLinear → DequantizeLinear pair carries it as {@link MappedLayer#givenInput()}.
 */
public final class MappedLayers {
    private MappedLayers() {
    }

    public static List<MappedLayer> find(Graph g) {
        List<MappedLayer> out = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (!n.domain().isEmpty() || n.input(1) == null || !List.of("Conv", "Gemm", "MatMul").contains(n.opType())) {
                continue;
            }
            QdqWeight given = QdqPatterns.weight(n);
            Tensor w = given != null ? given.dequantized()
                    : n.input(1).isConstant() && n.input(1).constant().dtype().isFloatingPoint() ? n.input(1).constant() : null;
            if (w == null) {
                continue;
            }
            MappedLayer layer = switch (n.opType()) {
                case "Conv" -> conv(n, w);
                case "Gemm" -> gemm(n, w);
                default -> w.rank() == 2 ? matmul(n, w) : null;
            };
            if (layer != null) {
                out.add(layer.withQdq(given, QdqPatterns.input(n)));
            }
        }
        return out;
    }

    private static MappedLayer conv(Node n, Tensor weight) {
        Tensor w = floats(weight);
        long[] s = w.shape();
        int groups = (int) n.attrInt("group", 1);
        int area = 1;
        for (int i = 2; i < s.length; i++) {
            area *= (int) s[i];
        }
        float[] bias = n.input(2) == null ? null : constantBias(n);
        return new MappedLayer(n, LayerKind.CONV, n.input(0), w, bias, 1f, groups, (int) s[1] * area, (int) s[0], area);
    }

    private static MappedLayer gemm(Node n, Tensor weight) {
        if (n.attrInt("transA", 0) != 0) {
            throw new CimTransformException(n.describe() + ": Gemm with transA = 1 cannot be mapped (inputs must be rows)");
        }
        Tensor w = floats(weight);
        if (n.attrInt("transB", 0) != 0) {
            w = transpose(w);
        }
        int k = (int) w.shape()[0];
        int cols = (int) w.shape()[1];
        float[] bias = null;
        Value c = n.input(2);
        if (c != null) {
            if (!c.isConstant() || (c.constant().numel() != cols && c.constant().numel() != 1)) {
                throw new CimTransformException(n.describe() + ": Gemm's C must be a constant of " + cols
                        + " values (one per output) to be mapped");
            }
            float beta = n.attrFloat("beta", 1f);
            float[] cv = c.constant().toFloatArray();
            bias = new float[cols];
            for (int i = 0; i < cols; i++) {
                bias[i] = beta * cv[cv.length == 1 ? 0 : i];
            }
        }
        return new MappedLayer(n, LayerKind.GEMM, n.input(0), w, bias, n.attrFloat("alpha", 1f), 1, k, cols, 1);
    }

    private static MappedLayer matmul(Node n, Tensor weight) {
        Tensor w = floats(weight);
        return new MappedLayer(n, LayerKind.MATMUL, n.input(0), w, null, 1f, 1, (int) w.shape()[0], (int) w.shape()[1], 1);
    }

    private static float[] constantBias(Node n) {
        if (!n.input(2).isConstant()) {
            throw new CimTransformException(n.describe() + ": the bias '" + n.input(2).name() + "' is not a constant");
        }
        return n.input(2).constant().toFloatArray();
    }

    private static Tensor floats(Tensor t) {
        return t.dtype() == DType.FLOAT ? t : Tensor.ofFloats(t.shape(), t.toFloatArray());
    }

    private static Tensor transpose(Tensor w) {
        long[] s = w.shape();
        float[] v = w.toFloatArray();
        float[] t = new float[v.length];
        int rows = (int) s[0];
        int cols = (int) s[1];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = v[r * cols + c];
            }
        }
        return Tensor.ofFloats(new long[] {cols, rows}, t);
    }
}
