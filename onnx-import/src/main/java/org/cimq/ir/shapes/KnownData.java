package org.cimq.ir.shapes;

import java.util.Arrays;
import java.util.List;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.Tensor;

/**
 * The elements of a small integer tensor as far as they are known at compile time, in
 * row-major order: each a constant, a symbolic size (an element of a {@code Shape} output)
 * or unknown. Used to see through shape computations such as
 * {@code Shape → Gather → Concat → Reshape}.
 */
record KnownData(long[] shape, List<KnownData.Elem> elems) {
    /** Largest tensor whose elements are tracked. */
    static final int MAX_ELEMS = 4096;

    /** One element: a constant {@code value} when {@code dim == null}, else a non-constant size. */
    record Elem(long value, Dim dim) {
        static final Elem UNKNOWN = new Elem(0, Dim.UNKNOWN);

        static Elem of(long v) {
            return new Elem(v, null);
        }

        static Elem of(Dim d) {
            return d.isKnown() ? of(d.value()) : new Elem(0, d);
        }

        boolean known() {
            return dim == null;
        }

        /** The element as a size; negative constants become unknown. */
        Dim asDim() {
            return dim != null ? dim : value >= 0 ? Dim.of(value) : Dim.UNKNOWN;
        }
    }

    KnownData {
        shape = shape.clone();
        elems = List.copyOf(elems);
        if (Tensor.numel(shape) != elems.size()) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + Tensor.numel(shape)
                    + " elements, got " + elems.size());
        }
    }

    static boolean isInteger(DType t) {
        return t == DType.INT64 || t == DType.INT32 || t == DType.INT16 || t == DType.INT8 || t == DType.UINT8
                || t == DType.UINT16 || t == DType.UINT32 || t == DType.UINT64 || t == DType.BOOL;
    }

    /**
     * The data of an integer tensor, or of a float tensor whose values are all integers
     * exact in float32; null for other tensors and for large ones.
     */
    static KnownData of(Tensor t) {
        if (t == null || t.numel() > MAX_ELEMS || !isInteger(t.dtype()) && !integral(t)) {
            return null;
        }
        return new KnownData(t.shape(), Arrays.stream(t.toLongArray()).mapToObj(Elem::of).toList());
    }

    private static boolean integral(Tensor t) {
        if (!t.dtype().isFloatingPoint()) {
            return false;
        }
        for (double d : t.toDoubleArray()) {
            if (d != Math.rint(d) || Math.abs(d) > (1L << 24)) {
                return false;
            }
        }
        return true;
    }

    static KnownData vector(List<Elem> elems) {
        return new KnownData(new long[] {elems.size()}, elems);
    }

    int rank() {
        return shape.length;
    }

    int size() {
        return elems.size();
    }

    /** All values, or null if any is not a constant. */
    long[] values() {
        long[] v = new long[elems.size()];
        for (int i = 0; i < v.length; i++) {
            if (!elems.get(i).known()) {
                return null;
            }
            v[i] = elems.get(i).value();
        }
        return v;
    }
}
