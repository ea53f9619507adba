package org.cimq.ir.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.Node;
import org.cimq.ir.TensorType;

/**
 * Reductions (axes from an attribute, or from input 1 since opset 13 for ReduceSum and 18
 * for the others; keepdims, noop_with_empty_axes) and ArgMax/ArgMin.
 */
final class ReductionRules {
    private static final List<String> REDUCE = List.of("ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd",
            "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare");

    private ReductionRules() {
    }

    static void register(Map<String, ShapeRule> m) {
        REDUCE.forEach(op -> m.put(op, (n, c) -> reduce(n, c, 18)));
        m.put("ReduceSum", (n, c) -> reduce(n, c, 13));
        m.put("ArgMax", ReductionRules::arg);
        m.put("ArgMin", ReductionRules::arg);
    }

    private static TensorType[] reduce(Node n, InferenceContext c, long axesInputSince) {
        List<Dim> in = c.dims(0);
        boolean keep = n.attrInt("keepdims", 1) != 0;
        long[] axes;
        boolean noop = false;
        if (c.opset() < axesInputSince) {
            axes = n.attrInts("axes", new long[0]);
        } else {
            axes = c.hasInput(1) ? c.ints(1) : new long[0];
            noop = n.attrInt("noop_with_empty_axes", 0) != 0;
        }
        if (in == null || axes == null) {
            return ReshapeRules.one(c.dtype(0), keep && in != null ? Dims.unknown(in.size()) : null);
        }
        if (axes.length == 0 && noop) {
            return ReshapeRules.one(c.dtype(0), in);
        }
        boolean[] reduced = new boolean[in.size()];
        for (long a : axes) {
            reduced[Dims.axis(n, a, in.size())] = true;
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            if (axes.length > 0 && !reduced[i]) {
                out.add(in.get(i));
            } else if (keep) {
                out.add(Dim.of(1));
            }
        }
        return ReshapeRules.one(c.dtype(0), out);
    }

    private static TensorType[] arg(Node n, InferenceContext c) {
        List<Dim> in = c.dims(0);
        if (in == null) {
            return ReshapeRules.one(DType.INT64, null);
        }
        int axis = Dims.axis(n, n.attrInt("axis", 0), in.size());
        List<Dim> out = new ArrayList<>(in);
        if (n.attrInt("keepdims", 1) != 0) {
            out.set(axis, Dim.of(1));
        } else {
            out.remove(axis);
        }
        return ReshapeRules.one(DType.INT64, out);
    }
}
