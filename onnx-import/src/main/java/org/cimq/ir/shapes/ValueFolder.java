package org.cimq.ir.shapes;

import java.util.ArrayList;
import java.util.List;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.ir.shapes.KnownData.Elem;

/**
 * Computes, where it can, the elements of a node's single integer output at compile time
 * (see {@link KnownData}), so that shape computations feeding Reshape, Expand, Slice or Pad
 * can be followed. Runs after the node's rule has typed the output.
 */
final class ValueFolder {
    private ValueFolder() {
    }

    static KnownData fold(Node n, InferenceContext c) {
        Value out = n.output(0);
        TensorType t = out.type();
        if ("Constant".equals(n.opType())) {
            return KnownData.of(MiscRules.constantValue(n));
        }
        if (t != null && t.dtype() != null && !KnownData.isInteger(t.dtype())) {
            return "Cast".equals(n.opType()) ? integralFloats(c.data(0), t) : null;
        }
        return switch (n.opType()) {
            case "Shape" -> shape(n, c);
            case "Size" -> sizeOf(c);
            case "Identity", "Reshape", "Squeeze", "Unsqueeze", "Flatten" -> sameElements(c.data(0), t);
            case "Cast" -> c.dtype(0) != null && KnownData.isInteger(c.dtype(0)) ? sameElements(c.data(0), t) : null;
            case "Concat" -> concat(c);
            case "Gather" -> gather(n, c);
            case "Slice" -> slice(n, c);
            case "Transpose" -> transpose(n, c);
            case "ConstantOfShape" -> constantOfShape(n, c);
            case "Add", "Sub", "Mul", "Div" -> arithmetic(n.opType(), c.data(0), c.data(1));
            case "Neg" -> arithmetic("Mul", c.data(0), new KnownData(new long[0], List.of(Elem.of(-1))));
            default -> null;
        };
    }

    private static KnownData shape(Node n, InferenceContext c) {
        List<Dim> in = c.dims(0);
        if (in == null) {
            return null;
        }
        int[] r = ReshapeRules.shapeRange(n, c.opset(), in.size());
        return KnownData.vector(in.subList(r[0], r[1]).stream().map(Elem::of).toList());
    }

    private static KnownData sizeOf(InferenceContext c) {
        List<Dim> in = c.dims(0);
        return in == null ? null : new KnownData(new long[0], List.of(Elem.of(Dims.product(in))));
    }

    private static KnownData sameElements(KnownData in, TensorType outType) {
        if (in == null || outType == null || !outType.isStatic()) {
            return null;
        }
        long[] shape = outType.shapeOrMinusOne();
        return Tensor.numel(shape) == in.size() ? new KnownData(shape, in.elems()) : null;
    }

    /** Integers cast to a floating-point type stay tracked while every value is exact in float32. */
    private static KnownData integralFloats(KnownData in, TensorType outType) {
        long[] v = in == null ? null : in.values();
        if (v == null || !outType.dtype().isFloatingPoint() || outType.dtype() == DType.FLOAT16
                || outType.dtype() == DType.BFLOAT16) {
            return null;
        }
        for (long x : v) {
            if (Math.abs(x) > (1L << 24)) {
                return null;
            }
        }
        return in;
    }

    private static KnownData concat(InferenceContext c) {
        List<Elem> all = new ArrayList<>();
        for (int i = 0; i < c.inputCount(); i++) {
            KnownData k = c.data(i);
            if (k == null || k.rank() != 1) {
                return null;
            }
            all.addAll(k.elems());
        }
        return all.size() <= KnownData.MAX_ELEMS ? KnownData.vector(all) : null;
    }

    private static KnownData gather(Node n, InferenceContext c) {
        KnownData data = c.data(0);
        KnownData idx = c.data(1);
        if (data == null || idx == null || data.rank() != 1 || idx.values() == null) {
            return null;
        }
        List<Elem> out = new ArrayList<>();
        for (long i : idx.values()) {
            long j = i < 0 ? i + data.size() : i;
            if (j < 0 || j >= data.size()) {
                return null;
            }
            out.add(data.elems().get((int) j));
        }
        return new KnownData(idx.shape(), out);
    }

    private static KnownData slice(Node n, InferenceContext c) {
        KnownData data = c.data(0);
        if (data == null) {
            return null;
        }
        long[] shape = data.shape();
        long[][] p = IndexingRules.sliceParams(n, c, shape.length);
        if (p == null) {
            return null;
        }
        long[] begin = new long[shape.length];
        long[] step = new long[shape.length];
        long[] count = shape.clone();
        java.util.Arrays.fill(step, 1);
        for (int i = 0; i < p[0].length; i++) {
            int a = (int) p[2][i];
            long[] r = IndexingRules.sliceRange(shape[a], p[0][i], p[1][i], p[3][i]);
            begin[a] = r[0];
            count[a] = r[1];
            step[a] = p[3][i];
        }
        List<Elem> out = new ArrayList<>();
        long total = Tensor.numel(count);
        long[] idx = new long[shape.length];
        for (long k = 0; k < total; k++) {
            long rem = k;
            long flat = 0;
            for (int a = shape.length - 1; a >= 0; a--) {
                idx[a] = rem % count[a];
                rem /= count[a];
            }
            for (int a = 0; a < shape.length; a++) {
                flat = flat * shape[a] + begin[a] + idx[a] * step[a];
            }
            out.add(data.elems().get((int) flat));
        }
        return new KnownData(count, out);
    }

    private static KnownData transpose(Node n, InferenceContext c) {
        KnownData data = c.data(0);
        if (data == null) {
            return null;
        }
        long[] shape = data.shape();
        int r = shape.length;
        long[] perm = n.attrInts("perm", null);
        if (perm == null || perm.length == 0) {
            perm = new long[r];
            for (int i = 0; i < r; i++) {
                perm[i] = r - 1 - i;
            }
        }
        long[] outShape = new long[r];
        long[] strides = new long[r];
        for (int a = r - 1, s = 1; a >= 0; s *= (int) shape[a], a--) {
            strides[a] = s;
        }
        for (int a = 0; a < r; a++) {
            outShape[a] = shape[(int) perm[a]];
        }
        List<Elem> out = new ArrayList<>();
        long[] idx = new long[r];
        for (long k = 0; k < data.size(); k++) {
            long rem = k;
            long flat = 0;
            for (int a = r - 1; a >= 0; a--) {
                idx[a] = rem % outShape[a];
                rem /= outShape[a];
            }
            for (int a = 0; a < r; a++) {
                flat += idx[a] * strides[(int) perm[a]];
            }
            out.add(data.elems().get((int) flat));
        }
        return new KnownData(outShape, out);
    }

    private static KnownData constantOfShape(Node n, InferenceContext c) {
        long[] shape = c.ints(0);
        Tensor value = n.attrTensor("value");
        if (shape == null || value == null || !KnownData.isInteger(value.dtype()) || value.dtype() == DType.BOOL
                || Tensor.numel(shape) > KnownData.MAX_ELEMS) {
            return null;
        }
        Elem e = Elem.of(value.getLong(0));
        return new KnownData(shape, java.util.Collections.nCopies((int) Tensor.numel(shape), e));
    }

    private static KnownData arithmetic(String op, KnownData a, KnownData b) {
        if (a == null || b == null) {
            return null;
        }
        boolean same = java.util.Arrays.equals(a.shape(), b.shape());
        KnownData big = same || b.size() == 1 && b.rank() <= a.rank() ? a
                : a.size() == 1 && a.rank() <= b.rank() ? b : null;
        if (big == null) {
            return null;
        }
        List<Elem> out = new ArrayList<>();
        for (int i = 0; i < big.size(); i++) {
            out.add(apply(op, a.elems().get(a.size() == 1 ? 0 : i), b.elems().get(b.size() == 1 ? 0 : i)));
        }
        return new KnownData(big.shape(), out);
    }

    private static Elem apply(String op, Elem x, Elem y) {
        if (x.known() && y.known()) {
            return switch (op) {
                case "Add" -> Elem.of(x.value() + y.value());
                case "Sub" -> Elem.of(x.value() - y.value());
                case "Mul" -> Elem.of(x.value() * y.value());
                default -> y.value() != 0 && (x.value() % y.value() == 0 || x.value() >= 0 && y.value() > 0)
                        ? Elem.of(x.value() / y.value()) : Elem.UNKNOWN;
            };
        }
        boolean neutralY = y.known() && y.value() == ("Add".equals(op) || "Sub".equals(op) ? 0 : 1);
        boolean neutralX = x.known() && x.value() == ("Add".equals(op) ? 0 : "Mul".equals(op) ? 1 : Long.MIN_VALUE);
        return neutralY ? x : neutralX ? y : Elem.UNKNOWN;
    }
}
