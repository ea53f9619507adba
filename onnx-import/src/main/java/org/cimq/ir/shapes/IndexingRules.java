package org.cimq.ir.shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cimq.ir.Dim;
import org.cimq.ir.IrException;
import org.cimq.ir.Node;
import org.cimq.ir.TensorType;

/** Ops that select, join or pad along axes: Concat, Split, Slice, Pad, Gather, Tile. */
final class IndexingRules {
    private IndexingRules() {
    }

    static void register(Map<String, ShapeRule> m) {
        m.put("Concat", IndexingRules::concat);
        m.put("Split", IndexingRules::split);
        m.put("Slice", IndexingRules::slice);
        m.put("Pad", IndexingRules::pad);
        m.put("Gather", IndexingRules::gather);
        m.put("GatherElements", (n, c) -> ReshapeRules.one(c.dtype(0), c.dims(1)));
        m.put("Tile", IndexingRules::tile);
    }

    private static TensorType[] concat(Node n, InferenceContext c) {
        List<Dim> out = null;
        int axis = 0;
        for (int i = 0; i < c.inputCount(); i++) {
            List<Dim> d = c.dims(i);
            if (d == null) {
                continue;
            }
            if (out == null) {
                out = new ArrayList<>(d);
                axis = Dims.axis(n, n.attrInt("axis", 0), d.size());
                continue;
            }
            if (d.size() != out.size()) {
                throw new IrException(n.describe() + ": inputs of rank " + out.size() + " and " + d.size());
            }
            for (int j = 0; j < d.size(); j++) {
                Dim u = Dims.unify(out.get(j), d.get(j));
                if (u == null && j != axis) {
                    throw new IrException(n.describe() + ": input " + i + " has shape " + d + ", expected "
                            + out + " off axis " + axis);
                }
                out.set(j, j == axis ? out.get(j) : u);
            }
        }
        if (out == null) {
            return ReshapeRules.one(c.dtype(0), null);
        }
        List<Dim> along = new ArrayList<>();
        for (int i = 0; i < c.inputCount(); i++) {
            along.add(c.dims(i) == null ? Dim.UNKNOWN : c.dims(i).get(axis));
        }
        out.set(axis, sum(along));
        return ReshapeRules.one(c.dtype(0), out);
    }

    private static Dim sum(List<Dim> dims) {
        long s = 0;
        Dim open = null;
        for (Dim d : dims) {
            if (d.isKnown()) {
                s += d.value();
            } else if (open == null) {
                open = d;
            } else {
                return Dim.UNKNOWN;
            }
        }
        return open == null ? Dim.of(s) : s == 0 ? open : Dim.UNKNOWN;
    }

    private static TensorType[] split(Node n, InferenceContext c) {
        int outs = n.outputs().size();
        TensorType[] result = new TensorType[outs];
        List<Dim> in = c.dims(0);
        long[] sizes = c.opset() < 13 ? n.attrInts("split", null) : c.hasInput(1) ? c.ints(1) : null;
        boolean sizesUnknown = c.opset() >= 13 && c.hasInput(1) && sizes == null;
        for (int i = 0; i < outs; i++) {
            List<Dim> d = null;
            if (in != null) {
                int axis = Dims.axis(n, n.attrInt("axis", 0), in.size());
                d = new ArrayList<>(in);
                d.set(axis, sizesUnknown ? Dim.UNKNOWN : part(n, in.get(axis), sizes, i, outs));
            }
            result[i] = new TensorType(c.dtype(0), d);
        }
        return result;
    }

    private static Dim part(Node n, Dim total, long[] sizes, int i, int outs) {
        if (sizes != null && sizes.length > 0) {
            if (sizes.length != outs) {
                throw new IrException(n.describe() + ": split " + Arrays.toString(sizes) + " for " + outs + " outputs");
            }
            return Dim.of(sizes[i]);
        }
        if (!total.isKnown()) {
            return outs == 1 ? total : Dim.UNKNOWN;
        }
        long chunk = Math.floorDiv(total.value() + outs - 1, outs);
        return Dim.of(Math.max(0, Math.min(chunk, total.value() - chunk * i)));
    }

    /**
     * Slice parameters {starts, ends, axes, steps} (axes normalised against {@code rank}),
     * or null when they are not known at compile time.
     */
    static long[][] sliceParams(Node n, InferenceContext c, int rank) {
        long[] starts;
        long[] ends;
        long[] axes;
        long[] steps = null;
        if (c.opset() < 10) {
            starts = n.attrInts("starts", null);
            ends = n.attrInts("ends", null);
            axes = n.attrInts("axes", null);
        } else {
            starts = c.ints(1);
            ends = c.ints(2);
            axes = c.hasInput(3) ? c.ints(3) : null;
            if (c.hasInput(3) && axes == null || c.hasInput(4) && (steps = c.ints(4)) == null) {
                return null;
            }
        }
        if (starts == null || ends == null) {
            return null;
        }
        if (starts.length != ends.length || axes != null && axes.length != starts.length
                || steps != null && steps.length != starts.length) {
            throw new IrException(n.describe() + ": starts, ends, axes and steps differ in length");
        }
        long[] ax = new long[starts.length];
        long[] st = new long[starts.length];
        for (int i = 0; i < ax.length; i++) {
            ax[i] = axes == null ? i : Dims.axis(n, axes[i], rank);
            st[i] = steps == null ? 1 : steps[i];
            if (st[i] == 0) {
                throw new IrException(n.describe() + ": slice step 0");
            }
        }
        return new long[][] {starts, ends, ax, st};
    }

    /** The clamped start index and element count of slicing a dim of size {@code dim}. */
    static long[] sliceRange(long dim, long start, long end, long step) {
        start = start < 0 ? start + dim : start;
        end = end < 0 ? end + dim : end;
        if (step > 0) {
            start = Math.max(0, Math.min(dim, start));
            end = Math.max(0, Math.min(dim, end));
        } else {
            start = Math.max(-1, Math.min(dim - 1, start));
            end = Math.max(-1, Math.min(dim - 1, end));
        }
        long count = step > 0 ? Math.floorDiv(end - start + step - 1, step) : Math.floorDiv(start - end - step - 1, -step);
        return new long[] {start, Math.max(0, count)};
    }

    private static TensorType[] slice(Node n, InferenceContext c) {
        List<Dim> in = c.dims(0);
        if (in == null) {
            return ReshapeRules.one(c.dtype(0), null);
        }
        long[][] p = sliceParams(n, c, in.size());
        if (p == null) {
            long[] axes = c.opset() >= 10 && c.hasInput(3) ? c.ints(3) : null;
            List<Dim> out = Dims.unknown(in.size());
            if (axes != null) {
                out = new ArrayList<>(in);
                for (long a : axes) {
                    out.set(Dims.axis(n, a, in.size()), Dim.UNKNOWN);
                }
            }
            return ReshapeRules.one(c.dtype(0), out);
        }
        List<Dim> out = new ArrayList<>(in);
        for (int i = 0; i < p[0].length; i++) {
            int axis = (int) p[2][i];
            Dim d = in.get(axis);
            long start = p[0][i];
            long end = p[1][i];
            long step = p[3][i];
            if (d.isKnown()) {
                out.set(axis, Dim.of(sliceRange(d.value(), start, end, step)[1]));
            } else {
                boolean whole = step == 1 && start == 0 && end >= Integer.MAX_VALUE;
                out.set(axis, whole ? d : Dim.UNKNOWN);
            }
        }
        return ReshapeRules.one(c.dtype(0), out);
    }

    private static TensorType[] pad(Node n, InferenceContext c) {
        List<Dim> in = c.dims(0);
        if (in == null) {
            return ReshapeRules.one(c.dtype(0), null);
        }
        int rank = in.size();
        long[] pads = c.opset() < 2 ? n.attrInts("paddings", null) : c.opset() < 11 ? n.attrInts("pads", null) : c.ints(1);
        long[] axes = null;
        if (c.opset() >= 18 && c.hasInput(3)) {
            axes = c.ints(3);
            if (axes == null) {
                return ReshapeRules.one(c.dtype(0), Dims.unknown(rank));
            }
        } else {
            axes = new long[rank];
            Arrays.setAll(axes, i -> i);
        }
        if (pads == null) {
            List<Dim> out = new ArrayList<>(in);
            for (long a : axes) {
                out.set(Dims.axis(n, a, rank), Dim.UNKNOWN);
            }
            return ReshapeRules.one(c.dtype(0), out);
        }
        if (pads.length != 2 * axes.length) {
            throw new IrException(n.describe() + ": " + pads.length + " pads for " + axes.length + " axes");
        }
        List<Dim> out = new ArrayList<>(in);
        for (int i = 0; i < axes.length; i++) {
            int a = Dims.axis(n, axes[i], rank);
            long add = pads[i] + pads[i + axes.length];
            Dim d = in.get(a);
            out.set(a, d.isKnown() ? Dim.of(d.value() + add) : add == 0 ? d : Dim.UNKNOWN);
        }
        return ReshapeRules.one(c.dtype(0), out);
    }

    private static TensorType[] gather(Node n, InferenceContext c) {
        List<Dim> data = c.dims(0);
        List<Dim> idx = c.dims(1);
        if (data == null || idx == null) {
            return ReshapeRules.one(c.dtype(0), null);
        }
        int axis = Dims.axis(n, n.attrInt("axis", 0), data.size());
        List<Dim> out = new ArrayList<>(data.subList(0, axis));
        out.addAll(idx);
        out.addAll(data.subList(axis + 1, data.size()));
        return ReshapeRules.one(c.dtype(0), out);
    }

    private static TensorType[] tile(Node n, InferenceContext c) {
        List<Dim> in = c.dims(0);
        long[] reps = c.ints(1);
        if (in == null || reps == null) {
            return ReshapeRules.one(c.dtype(0), in == null ? null : Dims.unknown(in.size()));
        }
        if (reps.length != in.size()) {
            throw new IrException(n.describe() + ": " + reps.length + " repeats for rank " + in.size());
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < reps.length; i++) {
            Dim d = in.get(i);
            out.add(d.isKnown() ? Dim.of(d.value() * reps[i]) : reps[i] == 1 ? d : Dim.UNKNOWN);
        }
        return ReshapeRules.one(c.dtype(0), out);
    }
}
