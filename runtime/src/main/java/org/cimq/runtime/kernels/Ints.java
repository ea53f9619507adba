package org.cimq.runtime.kernels;

import java.util.function.LongUnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Integer element access for the non-float paths: values widened to long (UINT64 keeps its
 * bits), results narrowed back with C's wrap-around cast.
 */
final class Ints {
    private Ints() {
    }

    /** The array's elements in C order as longs (a copy). */
    static long[] values(INDArray a) {
        if (a.isEmpty()) {
            return new long[0];
        }
        INDArray l = a.dataType() == DataType.LONG ? a : a.castTo(DataType.LONG);
        return l.dup('c').data().asLong();
    }

    /** The array's elements in C order as doubles (a copy). */
    static double[] doubles(INDArray a) {
        if (a.isEmpty()) {
            return new double[0];
        }
        INDArray d = a.dataType() == DataType.DOUBLE ? a : a.castTo(DataType.DOUBLE);
        return d.dup('c').data().asDouble();
    }

    /** A new array of type {@code type} and shape {@code shape} holding {@code v} (C order). */
    static INDArray of(long[] v, long[] shape, DataType type) {
        if (v.length == 0) {
            return Nd4j.create(type, shape);
        }
        INDArray l = Nd4j.createFromArray(v).reshape('c', shape);
        return type == DataType.LONG ? l : l.castTo(type);
    }

    /** {@code f} applied to every element, same type and shape. */
    static INDArray map(INDArray x, LongUnaryOperator f) {
        long[] v = values(x);
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsLong(v[i]);
        }
        return of(v, x.shape(), x.dataType());
    }
}
