package org.cimq.ir.shapes;

import java.util.List;
import java.util.Map;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.Node;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;

/**
 * What a {@link ShapeRule} may know about the node it types: the opset version of the
 * node's domain, its inputs' static types, and the values of inputs computable at compile
 * time (initializers, Constant outputs and small integer shape computations, whose elements
 * may be symbolic sizes).
 */
public final class InferenceContext {
    private final Node node;
    private final long opset;
    private final Map<Value, KnownData> data;

    InferenceContext(Node node, long opset, Map<Value, KnownData> data) {
        this.node = node;
        this.opset = opset;
        this.data = data;
    }

    public Node node() {
        return node;
    }

    /** The opset version the model imports for the node's domain. */
    public long opset() {
        return opset;
    }

    public int inputCount() {
        return node.inputs().size();
    }

    /** Whether input {@code i} is given (not omitted and not beyond the input list). */
    public boolean hasInput(int i) {
        return node.input(i) != null;
    }

    /** Input {@code i}'s type, or null when absent or untyped. */
    public TensorType type(int i) {
        Value v = node.input(i);
        return v == null ? null : v.type();
    }

    /** Input {@code i}'s dims, or null when its rank is unknown. */
    public List<Dim> dims(int i) {
        TensorType t = type(i);
        return t == null ? null : t.dims();
    }

    /** Input {@code i}'s element type, or null when unknown. */
    public DType dtype(int i) {
        TensorType t = type(i);
        return t == null ? null : t.dtype();
    }

    /** Input {@code i}'s rank, or -1 when unknown. */
    public int rank(int i) {
        List<Dim> d = dims(i);
        return d == null ? -1 : d.size();
    }

    /** The integer values of input {@code i} when all are known at compile time, else null. */
    public long[] ints(int i) {
        Value v = node.input(i);
        if (v == null) {
            return null;
        }
        if (v.constant() != null && v.constant().dtype() != DType.STRING && !v.constant().dtype().isFloatingPoint()) {
            return v.constant().toLongArray();
        }
        KnownData k = data(i);
        return k == null ? null : k.values();
    }

    /** The elements of a rank-0 or rank-1 integer input as sizes (possibly symbolic), else null. */
    public List<Dim> dimValues(int i) {
        List<KnownData.Elem> e = elems(i);
        return e == null ? null : e.stream().map(KnownData.Elem::asDim).toList();
    }

    List<KnownData.Elem> elems(int i) {
        KnownData k = data(i);
        return k == null || k.rank() > 1 ? null : k.elems();
    }

    /** A floating-point or integer scalar constant input, or null. */
    public Double scalar(int i) {
        Value v = node.input(i);
        if (v != null && v.constant() != null && v.constant().numel() == 1 && v.constant().dtype() != DType.STRING) {
            return v.constant().getDouble(0);
        }
        KnownData k = data(i);
        return k != null && k.size() == 1 && k.elems().get(0).known() ? (double) k.elems().get(0).value() : null;
    }

    KnownData data(int i) {
        Value v = node.input(i);
        if (v == null) {
            return null;
        }
        KnownData k = data.get(v);
        return k != null ? k : KnownData.of(v.constant());
    }
}
