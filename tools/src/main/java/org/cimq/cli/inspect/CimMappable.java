package org.cimq.cli.inspect;

import java.util.ArrayList;
import java.util.List;
import org.cimq.ir.Graph;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.Value;

/**
 * Finds the Conv, Gemm and MatMul nodes whose weight is a constant: an initializer or a
 * {@code Constant} node, possibly reached through {@code Identity} nodes (PyTorch exports
 * deduplicated weights that way). Conv weight {@code [Cout, Cin/group, kh, kw]} gives
 * K = Cin/group·kh·kw, N = Cout; Gemm's B gives K, N by {@code transB}; MatMul's constant
 * right-hand side must be 2-D {@code [K, N]}.
 */
public final class CimMappable {
    private CimMappable() {
    }

    public static List<MappableNode> find(Graph graph) {
        List<MappableNode> out = new ArrayList<>();
        for (Node n : graph.nodes()) {
            MappableNode m = of(n);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    /** The node's K×N mapping, or null when it is not a mappable op or its weight is not constant. */
    public static MappableNode of(Node n) {
        if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
            return null;
        }
        Weight w = n.input(1) == null ? null : constant(n.input(1));
        if (w == null || w.tensor() == null) {
            return null;
        }
        long[] s = w.tensor().shape();
        String name = n.name().isEmpty() ? n.describe() : n.name();
        return switch (n.opType()) {
            case "Conv" -> s.length >= 3 ? new MappableNode(name, "Conv", w.name(), Tensor.numel(s) / s[0], s[0]) : null;
            case "Gemm" -> s.length == 2 ? (n.attrInt("transB", 0) != 0
                    ? new MappableNode(name, "Gemm", w.name(), s[1], s[0])
                    : new MappableNode(name, "Gemm", w.name(), s[0], s[1])) : null;
            case "MatMul" -> s.length == 2 ? new MappableNode(name, "MatMul", w.name(), s[0], s[1]) : null;
            default -> null;
        };
    }

    /** A constant weight: the initializer's (or Constant output's) name and its tensor. */
    private record Weight(String name, Tensor tensor) { }

    /** The constant behind {@code v}, following Identity nodes, or null when it is computed. */
    private static Weight constant(Value v) {
        Value cur = v;
        for (int hops = 0; hops < 64; hops++) {
            if (cur.isConstant()) {
                return new Weight(cur.name(), cur.constant());
            }
            Node p = cur.producer();
            if (p == null) {
                return null;
            }
            if (p.opType().equals("Constant") && p.domain().isEmpty()) {
                return new Weight(cur.name(), p.attrTensor("value"));
            }
            if (!p.opType().equals("Identity") || p.input(0) == null) {
                return null;
            }
            cur = p.input(0);
        }
        return null;
    }
}
