package org.cimq.ir.passes;

import java.util.List;
import java.util.Set;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;

/**
 * Replaces nodes whose inputs are all constant by initializers holding their outputs, in
 * topological order so chains fold completely (PyTorch's Shape→Gather→Unsqueeze→Concat→Reshape
 * around flatten/view folds once Shape is constant). Shape itself folds when its input's dims
 * are all known; with a symbolic batch dim it stays. Nodes without a deterministic constant
 * result (random ops) are left alone, as are nodes the evaluator declines, and results over
 * {@link #MAX_FOLDED_ELEMENTS} elements (folding must not blow up the model).
 */
public final class ConstantFolding implements Pass {
    /** Largest tensor a fold may create. */
    public static final long MAX_FOLDED_ELEMENTS = 1 << 20;
    private static final Set<String> NEVER = Set.of("RandomNormal", "RandomUniform", "RandomNormalLike",
            "RandomUniformLike", "Multinomial", "Bernoulli", "If", "Loop", "Scan");
    /** Ops whose result can be much larger than their inputs. */
    private static final Set<String> GROWING = Set.of("ConstantOfShape", "Expand", "Tile", "Range", "Resize", "Upsample",
            "Pad", "OneHot", "EyeLike", "MatMul", "Gemm", "Conv", "ConvTranspose", "Einsum", "Concat", "Gather", "GatherElements",
            "GatherND", "Trilu", "Mul", "Add", "Sub", "Div", "Pow", "Where", "Equal", "Greater", "Less", "And", "Or", "Xor", "Max",
            "Min", "Sum", "Mean", "BitShift", "Mod", "PRelu", "Col2Im");

    private final ConstantEvaluator evaluator;

    public ConstantFolding(ConstantEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    @Override
    public boolean run(Model model) {
        Graph g = model.graph();
        boolean changed = false;
        for (Node n : List.copyOf(g.nodes())) {
            if (!n.domain().isEmpty() || NEVER.contains(n.opType()) || n.outputs().isEmpty()) {
                continue;
            }
            Tensor[] outs = n.opType().equals("Shape") ? foldShape(n, (int) model.opsetVersion("")) : evaluateIfConstant(model, n);
            if (outs == null) {
                continue;
            }
            for (int i = 0; i < n.outputs().size(); i++) {
                Value out = n.output(i);
                if (out == null || outs[i] == null) {
                    continue;
                }
                Value c = Value.constant(out.name(), outs[i]);
                g.addInitializer(c);
                g.replaceAllUsesWith(out, c);
            }
            g.removeNode(n);
            changed = true;
        }
        return changed;
    }

    private Tensor[] evaluateIfConstant(Model model, Node n) {
        if (!resultsKnownSmall(n)) {
            return null;
        }
        Tensor[] in = new Tensor[n.inputs().size()];
        for (int i = 0; i < in.length; i++) {
            Value v = n.input(i);
            if (v != null) {
                if (!v.isConstant() || g(model).inputs().contains(v)) {
                    return null;
                }
                in[i] = v.constant();
            }
        }
        Tensor[] out = evaluator.evaluate(n, (int) model.opsetVersion(n.domain()), in);
        if (out == null || out.length < n.outputs().size()) {
            return null;
        }
        for (Tensor t : out) {
            if (t != null && t.numel() > MAX_FOLDED_ELEMENTS) {
                return null;
            }
        }
        return out;
    }

    /**
     * Whether shape inference bounds every result to {@link #MAX_FOLDED_ELEMENTS}, checked before
     * evaluating so a hostile constant (ConstantOfShape of [1e5, 1e5]) is never allocated. Ops
     * whose result may be larger than their inputs must have fully known result shapes; others
     * are bounded by their inputs, which are constants already in memory.
     */
    private static boolean resultsKnownSmall(Node n) {
        for (Value out : n.outputs()) {
            if (out == null) {
                continue;
            }
            TensorType t = out.type();
            boolean known = t != null && t.hasRank() && t.dims().stream().allMatch(org.cimq.ir.Dim::isKnown);
            if (!known) {
                if (GROWING.contains(n.opType())) {
                    return false;
                }
                continue;
            }
            long numel = 1;
            for (org.cimq.ir.Dim d : t.dims()) {
                numel = d.value() == 0 ? 0 : (numel > MAX_FOLDED_ELEMENTS / d.value() ? MAX_FOLDED_ELEMENTS + 1 : numel * d.value());
            }
            if (numel > MAX_FOLDED_ELEMENTS) {
                return false;
            }
        }
        return true;
    }

    private static Graph g(Model m) {
        return m.graph();
    }

    private static Tensor[] foldShape(Node n, int opset) {
        Value in = n.input(0);
        TensorType t = in == null ? null : in.type();
        if (t == null || !t.hasRank()) {
            return null;
        }
        int rank = t.rank();
        long start = opset >= 15 ? n.attrInt("start", 0) : 0;
        long end = opset >= 15 ? n.attrInt("end", rank) : rank;
        start = Math.max(0, Math.min(rank, start < 0 ? start + rank : start));
        end = Math.max(0, Math.min(rank, end < 0 ? end + rank : end));
        long[] dims = new long[(int) Math.max(0, end - start)];
        for (int i = 0; i < dims.length; i++) {
            org.cimq.ir.Dim d = t.dims().get((int) start + i);
            if (!d.isKnown()) {
                return null;
            }
            dims[i] = d.value();
        }
        return new Tensor[] {Tensor.ofLongs(new long[] {dims.length}, dims)};
    }
}
