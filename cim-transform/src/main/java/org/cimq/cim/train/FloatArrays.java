package org.cimq.cim.train;

import org.cimq.runtime.NdArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** float32 contents of INDArrays in C order, and back: the fake-quant engine's elementwise work runs as plain loops over them. */
final class FloatArrays {
    private FloatArrays() {
    }

    /** A copy of a's elements in C order, as float32 (one bulk copy: {@link NdArrays#toFloats}). */
    static float[] of(INDArray a) {
        return NdArrays.toFloats(a);
    }

    /** A new c-order float32 array of {@code shape} holding {@code v} (one bulk copy: {@link NdArrays#floats}). */
    static INDArray array(float[] v, long... shape) {
        return NdArrays.floats(v, shape.clone());
    }
}
