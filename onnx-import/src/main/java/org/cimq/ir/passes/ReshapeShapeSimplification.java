package org.cimq.ir.passes;

import java.util.ArrayList;
import java.util.List;
import org.cimq.ir.Dim;
import org.cimq.ir.Graph;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;

/**
 * Folds the shape input of a Reshape built at run time by PyTorch's {@code x.view(x.size(0), -1)}:
 * {@code Concat(Unsqueeze(Gather(Shape(x), i)), ..., const)}. Each gathered dim becomes its
 * known size, or 0 ("copy this dim", valid while allowzero = 0) when it is dim i of the
 * Reshape's own data input at position i — the dynamic batch case. The Shape/Gather chain is
 * left for {@link DeadNodeElimination}.
 */
public final class ReshapeShapeSimplification implements Pass {
    @Override
    public boolean run(Model model) {
        Graph g = model.graph();
        boolean changed = false;
        int opset = (int) model.opsetVersion("");
        for (Node n : List.copyOf(g.nodes())) {
            if (!n.opType().equals("Reshape") || !n.domain().isEmpty() || n.attrInt("allowzero", 0) != 0) {
                continue;
            }
            Value shape = n.input(1);
            if (shape == null || shape.isConstant() || shape.producer() == null || !shape.producer().opType().equals("Concat")) {
                continue;
            }
            long[] folded = fold(shape.producer(), n.input(0), opset);
            if (folded != null) {
                Value c = Value.constant(shape.name() + "_folded", Tensor.ofLongs(new long[] {folded.length}, folded));
                g.addInitializer(c);
                n.setInput(1, c);
                changed = true;
            }
        }
        return changed;
    }

    private static long[] fold(Node concat, Value data, int opset) {
        List<Long> out = new ArrayList<>();
        for (Value part : concat.inputs()) {
            if (part == null) {
                return null;
            }
            if (part.isConstant()) {
                for (long v : part.constant().toLongArray()) {
                    out.add(v);
                }
                continue;
            }
            Long dim = gatheredDim(part, data, out.size(), opset);
            if (dim == null) {
                return null;
            }
            out.add(dim);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** The size for {@code Unsqueeze(Gather(Shape(src), i))} at {@code position}, or null. */
    private static Long gatheredDim(Value part, Value data, int position, int opset) {
        Node unsq = part.producer();
        if (unsq == null || !unsq.opType().equals("Unsqueeze")) {
            return null;
        }
        long[] axes = opset >= 13
                ? (unsq.input(1) != null && unsq.input(1).isConstant() ? unsq.input(1).constant().toLongArray() : null)
                : unsq.attrInts("axes", null);
        if (axes == null || axes.length != 1 || axes[0] != 0) {
            return null;
        }
        Node gather = unsq.input(0) == null ? null : unsq.input(0).producer();
        if (gather == null || !gather.opType().equals("Gather") || gather.input(1) == null || !gather.input(1).isConstant()
                || gather.input(1).constant().numel() != 1 || gather.input(1).constant().rank() != 0) {
            return null;
        }
        Node shape = gather.input(0).producer();
        if (shape == null || !shape.opType().equals("Shape") || shape.hasAttr("start") || shape.hasAttr("end")) {
            return null;
        }
        Value src = shape.input(0);
        TensorType t = src.type();
        long i = gather.input(1).constant().getLong(0);
        if (t != null && t.hasRank()) {
            if (i < 0) {
                i += t.rank();
            }
            if (i >= 0 && i < t.rank()) {
                Dim d = t.dims().get((int) i);
                if (d.isKnown()) {
                    return d.value();
                }
            }
        }
        return src == data && i == position ? 0L : null;
    }
}
