package org.cimq.runtime.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small integer arrays (shapes, axes, indices) between ND4J and {@code long[]}, rank 0 and empty included. */
final class IndexArrays {
    private IndexArrays() {
    }

    /** All elements of a small integer (or float) array in C order, as longs. */
    static long[] toLongs(INDArray a) {
        if (a.length() == 0) {
            return new long[0];
        }
        INDArray c = a.dataType() == DataType.LONG ? a : a.castTo(DataType.LONG);
        return c.dup('c').data().asLong();
    }

    /** A 1-D INT64 array (shape [0] when {@code v} is empty). */
    static INDArray vector(long[] v) {
        return v.length == 0 ? Nd4j.create(DataType.LONG, 0) : Nd4j.createFromArray(v.clone());
    }

    static long product(long[] shape, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            p *= shape[i];
        }
        return p;
    }
}
