package org.cimq.runtime.cim;

import java.lang.ref.Reference;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float32 values between ND4J's off-heap arrays and Java arrays in bulk, for the fused kernels (whole arrays:
 * {@link org.cimq.runtime.NdArrays#toFloats} and {@link org.cimq.runtime.NdArrays#floats}; ND4J's own
 * {@code Nd4j.create(float[], ...)} and {@code asFloat()} move values one by one, which cost the fused CIM kernels about
 * 7 % of their time).
 */
final class FloatArrays {
    private FloatArrays() {
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
