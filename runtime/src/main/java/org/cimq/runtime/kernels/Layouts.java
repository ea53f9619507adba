package org.cimq.runtime.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.shape.Gather;
import org.nd4j.linalg.factory.Nd4j;

/** Data movement shared by the shape kernels, safe for rank-0 and empty arrays; results are C order. */
final class Layouts {
    private Layouts() {
    }

    /** {@code x} with another shape of the same size: a view when {@code x} is C-contiguous, else a copy. */
    static INDArray reshape(INDArray x, long[] shape) {
        if (x.length() == 0) {
            return Nd4j.create(x.dataType(), shape);
        }
        return x.reshape('c', shape);
    }

    /** A C-order copy of {@code x} permuted by {@code perm}. */
    static INDArray permute(INDArray x, int[] perm) {
        long[] s = x.shape();
        long[] out = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            out[i] = s[perm[i]];
        }
        if (x.length() == 0) {
            return Nd4j.create(x.dataType(), out);
        }
        return x.permute(perm).dup('c');
    }

    /** The slices of {@code x} at {@code idx} (non-negative, in range) along {@code axis}, in that order. */
    static INDArray take(INDArray x, int axis, long[] idx) {
        long[] shape = x.shape().clone();
        shape[axis] = idx.length;
        if (idx.length == 0 || x.length() == 0) {
            return Nd4j.create(x.dataType(), shape);
        }
        return Nd4j.exec(new Gather(contiguous(x), Nd4j.createFromArray(idx.clone()), axis))[0];
    }

    /** A C-order copy (or {@code x} itself when it already is a plain C-order array). */
    static INDArray contiguous(INDArray x) {
        if (x.length() == 0) {
            return Nd4j.create(x.dataType(), x.shape());
        }
        return x.isView() || x.ordering() != 'c' ? x.dup('c') : x;
    }
}
