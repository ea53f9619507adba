package org.cimq.ir.shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.IrException;
import org.cimq.ir.Node;
import org.cimq.ir.TensorType;

/** Ops that rearrange dims without changing data: Reshape, Flatten, Transpose, (Un)Squeeze, Expand, Shape. */
final class ReshapeRules {
    private ReshapeRules() {
    }

    static void register(Map<String, ShapeRule> m) {
        m.put("Reshape", ReshapeRules::reshape);
        m.put("Flatten", ReshapeRules::flatten);
        m.put("Transpose", ReshapeRules::transpose);
        m.put("Squeeze", ReshapeRules::squeeze);
        m.put("Unsqueeze", ReshapeRules::unsqueeze);
        m.put("Expand", ReshapeRules::expand);
        m.put("Shape", ReshapeRules::shape);
        m.put("Size", (n, c) -> one(DType.INT64, List.of()));
    }

    static TensorType[] one(DType t, List<Dim> dims) {
        return new TensorType[] {new TensorType(t, dims)};
    }

    private static TensorType[] reshape(Node n, InferenceContext c) {
        List<KnownData.Elem> target = c.elems(1);
        if (target == null) {
            List<Dim> s = c.dims(1);
            return one(c.dtype(0), s != null && s.size() == 1 && s.get(0).isKnown()
                    ? Dims.unknown((int) s.get(0).value()) : null);
        }
        List<Dim> in = c.dims(0);
        boolean allowZero = n.attrInt("allowzero", 0) != 0;
        List<Dim> out = new ArrayList<>(target.size());
        int inferIndex = -1;
        for (int i = 0; i < target.size(); i++) {
            KnownData.Elem t = target.get(i);
            if (!t.known()) {
                out.add(t.dim());
            } else if (t.value() == 0 && !allowZero) {
                out.add(in == null || i >= in.size() ? Dim.UNKNOWN : in.get(i));
            } else if (t.value() == -1) {
                if (inferIndex >= 0) {
                    throw new IrException(n.describe() + ": more than one -1 in shape " + target);
                }
                inferIndex = i;
                out.add(Dim.UNKNOWN);
            } else if (t.value() < -1) {
                throw new IrException(n.describe() + ": invalid size " + t.value() + " in shape " + target);
            } else {
                out.add(Dim.of(t.value()));
            }
        }
        if (inferIndex >= 0 && in != null) {
            List<Dim> rest = new ArrayList<>(out);
            rest.remove(inferIndex);
            out.set(inferIndex, Dims.quotient(in, rest));
        }
        if (in != null && Dims.product(in).isKnown() && Dims.product(out).isKnown()
                && Dims.product(in).value() != Dims.product(out).value()) {
            throw new IrException(n.describe() + ": cannot reshape " + in + " to " + target);
        }
        return one(c.dtype(0), out);
    }

    private static TensorType[] flatten(Node n, InferenceContext c) {
        List<Dim> in = c.dims(0);
        if (in == null) {
            return one(c.dtype(0), Dims.unknown(2));
        }
        long a = n.attrInt("axis", 1);
        int axis = (int) (a < 0 ? a + in.size() : a);
        if (axis < 0 || axis > in.size()) {
            throw new IrException(n.describe() + ": axis " + a + " is out of range for rank " + in.size());
        }
        return one(c.dtype(0), List.of(Dims.product(in.subList(0, axis)), Dims.product(in.subList(axis, in.size()))));
    }

    private static TensorType[] transpose(Node n, InferenceContext c) {
        List<Dim> in = c.dims(0);
        long[] perm = n.attrInts("perm", null);
        if (in == null) {
            return one(c.dtype(0), perm == null ? null : Dims.unknown(perm.length));
        }
        if (perm == null || perm.length == 0 && !in.isEmpty()) {
            perm = new long[in.size()];
            for (int i = 0; i < perm.length; i++) {
                perm[i] = in.size() - 1 - i;
            }
        }
        if (perm.length != in.size()) {
            throw new IrException(n.describe() + ": perm " + Arrays.toString(perm) + " for rank " + in.size());
        }
        List<Dim> out = new ArrayList<>();
        for (long p : perm) {
            out.add(in.get(Dims.axis(n, p, in.size())));
        }
        return one(c.dtype(0), out);
    }

    /** Axes from the attribute before opset 13, from input 1 after; null if not known. */
    static long[] axesOf(Node n, InferenceContext c, long inputSince) {
        if (c.opset() < inputSince) {
            return n.attrInts("axes", new long[0]);
        }
        return c.hasInput(1) ? c.ints(1) : new long[0];
    }

    private static TensorType[] squeeze(Node n, InferenceContext c) {
        List<Dim> in = c.dims(0);
        long[] axes = axesOf(n, c, 13);
        if (in == null || axes == null) {
            return one(c.dtype(0), null);
        }
        boolean[] drop = new boolean[in.size()];
        if (axes.length == 0) {
            for (int i = 0; i < drop.length; i++) {
                if (!in.get(i).isKnown()) {
                    return one(c.dtype(0), null);
                }
                drop[i] = in.get(i).value() == 1;
            }
        }
        for (long a : axes) {
            int ax = Dims.axis(n, a, in.size());
            if (in.get(ax).isKnown() && in.get(ax).value() != 1) {
                throw new IrException(n.describe() + ": cannot squeeze axis " + a + " of " + in);
            }
            drop[ax] = true;
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < drop.length; i++) {
            if (!drop[i]) {
                out.add(in.get(i));
            }
        }
        return one(c.dtype(0), out);
    }

    private static TensorType[] unsqueeze(Node n, InferenceContext c) {
        List<Dim> in = c.dims(0);
        long[] axes = axesOf(n, c, 13);
        if (in == null || axes == null) {
            return one(c.dtype(0), null);
        }
        int rank = in.size() + axes.length;
        boolean[] inserted = new boolean[rank];
        for (long a : axes) {
            int ax = Dims.axis(n, a, rank);
            if (inserted[ax]) {
                throw new IrException(n.describe() + ": axis " + a + " repeated in " + Arrays.toString(axes));
            }
            inserted[ax] = true;
        }
        List<Dim> out = new ArrayList<>(rank);
        int j = 0;
        for (int i = 0; i < rank; i++) {
            out.add(inserted[i] ? Dim.of(1) : in.get(j++));
        }
        return one(c.dtype(0), out);
    }

    private static TensorType[] expand(Node n, InferenceContext c) {
        List<Dim> shape = c.dimValues(1);
        if (shape == null) {
            List<Dim> s = c.dims(1);
            List<Dim> in = c.dims(0);
            boolean ranks = s != null && s.size() == 1 && s.get(0).isKnown() && in != null;
            return one(c.dtype(0), ranks ? Dims.unknown((int) Math.max(s.get(0).value(), in.size())) : null);
        }
        return one(c.dtype(0), Dims.broadcast(n, Arrays.asList(c.dims(0), shape)));
    }

    /** The [start, end) range of dims a Shape node returns for an input of rank {@code rank}. */
    static int[] shapeRange(Node n, long opset, int rank) {
        long start = opset >= 15 ? n.attrInt("start", 0) : 0;
        long end = opset >= 15 ? n.attrInt("end", rank) : rank;
        start = Math.max(0, Math.min(rank, start < 0 ? start + rank : start));
        end = Math.max(0, Math.min(rank, end < 0 ? end + rank : end));
        return new int[] {(int) start, (int) Math.max(start, end)};
    }

    private static TensorType[] shape(Node n, InferenceContext c) {
        List<Dim> in = c.dims(0);
        if (in == null) {
            return one(DType.INT64, Dims.unknown(1));
        }
        int[] r = shapeRange(n, c.opset(), in.size());
        return one(DType.INT64, List.of(Dim.of(r[1] - r[0])));
    }
}
