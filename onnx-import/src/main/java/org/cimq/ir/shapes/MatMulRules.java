package org.cimq.ir.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cimq.ir.Dim;
import org.cimq.ir.IrException;
import org.cimq.ir.Node;
import org.cimq.ir.TensorType;

/** MatMul (numpy semantics: 1-D promotion, broadcast batch dims) and Gemm. */
final class MatMulRules {
    private MatMulRules() {
    }

    static void register(Map<String, ShapeRule> m) {
        m.put("MatMul", MatMulRules::matMul);
        m.put("Gemm", MatMulRules::gemm);
    }

    private static TensorType[] matMul(Node n, InferenceContext c) {
        List<Dim> a = c.dims(0);
        List<Dim> b = c.dims(1);
        if (a == null || b == null) {
            return new TensorType[] {new TensorType(c.dtype(0), null)};
        }
        if (a.isEmpty() || b.isEmpty()) {
            throw new IrException(n.describe() + ": MatMul of a scalar");
        }
        List<Dim> aa = a.size() == 1 ? List.of(Dim.of(1), a.get(0)) : a;
        List<Dim> bb = b.size() == 1 ? List.of(b.get(0), Dim.of(1)) : b;
        Dim k1 = aa.get(aa.size() - 1);
        Dim k2 = bb.get(bb.size() - 2);
        if (Dims.unify(k1, k2) == null) {
            throw new IrException(n.describe() + ": inner dimensions differ: " + a + " x " + b);
        }
        List<Dim> out = new ArrayList<>(Dims.broadcast(n,
                List.of(aa.subList(0, aa.size() - 2), bb.subList(0, bb.size() - 2))));
        if (a.size() > 1) {
            out.add(aa.get(aa.size() - 2));
        }
        if (b.size() > 1) {
            out.add(bb.get(bb.size() - 1));
        }
        return new TensorType[] {new TensorType(c.dtype(0), out)};
    }

    private static TensorType[] gemm(Node n, InferenceContext c) {
        List<Dim> a = c.dims(0);
        List<Dim> b = c.dims(1);
        Dim m = Dim.UNKNOWN;
        Dim nn = Dim.UNKNOWN;
        if (a != null) {
            checkMatrix(n, a, "A");
            m = a.get(n.attrInt("transA", 0) != 0 ? 1 : 0);
        }
        if (b != null) {
            checkMatrix(n, b, "B");
            nn = b.get(n.attrInt("transB", 0) != 0 ? 0 : 1);
        }
        return new TensorType[] {new TensorType(c.dtype(0), List.of(m, nn))};
    }

    private static void checkMatrix(Node n, List<Dim> d, String which) {
        if (d.size() != 2) {
            throw new IrException(n.describe() + ": input " + which + " has shape " + d + ", expected a matrix");
        }
    }
}
