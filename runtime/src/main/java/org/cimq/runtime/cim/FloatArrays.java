package org.cimq.runtime.cim;

import java.lang.ref.Reference;
import org.bytedeco.javacpp.FloatPointer;
import org.cimq.runtime.NdArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float32 values between ND4J's off-heap arrays and Java arrays with one bulk copy each way
 * (ND4J's own {@code Nd4j.create(float[], ...)} and {@code asFloat()} move them element by
 * element, which cost the fused CIM kernels about 7 % of their time).
 */
final class FloatArrays {
    private FloatArrays() {
    }

    /** The values of {@code a} as float32 in c order, in a new Java array. */
    static float[] fromNd4j(INDArray a) {
        return NdArrays.toFloats(a);
    }

    /** A new c-order float32 array of {@code shape} holding {@code v}. */
    static INDArray toNd4j(float[] v, long[] shape) {
        return NdArrays.floats(v, shape);
    }

    /** A new c-order float32 array of {@code shape} whose values are not set; {@code length} must be its length. */
    static INDArray uninitialized(long[] shape, long length) {
        INDArray z = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        if (z.length() != length) {
            throw new IllegalArgumentException(length + " values do not fill shape " + java.util.Arrays.toString(shape));
        }
        return z;
    }

    /** Copies {@code v[from, from + n)} into {@code z} (a plain c-order float32 array) at the same offset. */
    static void copyInto(INDArray z, float[] v, int from, int n) {
        if (n == 0) {
            return;
        }
        if (from < 0 || n < 0 || (long) from + n > z.length() || (long) from + n > v.length) {
            throw new IllegalArgumentException("copy of " + n + " values at " + from + " outside the arrays");
        }
        try {
            new FloatPointer(z.data().addressPointer()).position(from).put(v, from, n);
        } finally {
            Reference.reachabilityFence(z);
        }
    }

    /**
     * {@code a} as a plain c-order float32 array (itself when it already is one, else a copy), whose off-heap
     * values native code may read by address while the array is reachable.
     */
    static INDArray plainFloat(INDArray a) {
        INDArray f = a.castTo(DataType.FLOAT);
        boolean plain = f.ordering() == 'c' && !f.isView() && f.offset() == 0 && f.data().length() == f.length();
        return plain ? f : f.dup('c');
    }
}
