package org.cimq.runtime.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The padding arithmetic of {@link PadKernel}: constant fill, and source indices for reflect and edge modes. */
final class PadModes {
    private PadModes() {
    }

    /** {@code x} padded (or cropped, for negative amounts) by {@code begin}/{@code end} per axis, filled with {@code value}. */
    static INDArray constant(INDArray x, long[] begin, long[] end, double value) {
        return constant(x, begin, end, value, null);
    }

    /** The output shape of {@link #constant} for an input of {@code shape}. */
    static long[] paddedShape(long[] shape, long[] begin, long[] end) {
        long[] out = new long[shape.length];
        for (int d = 0; d < shape.length; d++) {
            out[d] = shape[d] + begin[d] + end[d];
        }
        return out;
    }

    /**
     * As {@link #constant(INDArray, long[], long[], double)}, written into {@code into} when it is
     * not null (a plain c-order array of the output's shape and x's type, not overlapping x). Float32
     * arrays are filled and copied natively where {@link NativeCopy} is active.
     */
    static INDArray constant(INDArray x, long[] begin, long[] end, double value, INDArray into) {
        long[] shape = x.shape();
        int r = shape.length;
        long[] outShape = paddedShape(shape, begin, end);
        INDArrayIndex[] src = new INDArrayIndex[r];
        INDArrayIndex[] dst = new INDArrayIndex[r];
        boolean copy = true;
        for (int d = 0; d < r; d++) {
            long from = Math.max(0, -begin[d]);
            long to = shape[d] - Math.max(0, -end[d]);
            copy &= to > from;
            long at = Math.max(0, begin[d]);
            src[d] = NDArrayIndex.interval(from, Math.max(from, to));
            dst[d] = NDArrayIndex.interval(at, at + Math.max(0, to - from));
        }
        if (r > 0 && NativeCopy.usable(x) && (float) value == value) {
            INDArray out = into != null ? into : Nd4j.createUninitialized(x.dataType(), outShape, 'c');
            if (NativeCopy.fill(out, (float) value) && (!copy || NativeCopy.copy(out.get(dst), x.get(src)))) {
                return out;
            }
        }
        INDArray out = into != null ? into.assign(0) : Nd4j.create(x.dataType(), outShape);
        if (value != 0 && out.length() > 0) {
            out.assign(value);
        }
        if (copy && r > 0) {
            out.get(dst).assign(x.get(src));
        } else if (r == 0) {
            out.assign(x);
        }
        return out;
    }

    /** For each output position along an axis of size {@code dim}, the input position it copies. */
    static long[] sourceIndices(long dim, long begin, long end, boolean reflect) {
        long[] idx = new long[Math.toIntExact(dim + begin + end)];
        long period = 2 * (dim - 1);
        for (int o = 0; o < idx.length; o++) {
            long i = o - begin;
            if (!reflect) {
                i = Math.max(0, Math.min(dim - 1, i));
            } else if (period == 0) {
                i = 0;
            } else {
                i = Math.floorMod(i, period);
                i = i >= dim ? period - i : i;
            }
            idx[o] = i;
        }
        return idx;
    }
}
