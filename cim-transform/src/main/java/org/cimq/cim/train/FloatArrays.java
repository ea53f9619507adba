package org.cimq.cim.train;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** float32 contents of INDArrays in C order, and back: the fake-quant engine's elementwise work runs as plain loops over them. */
final class FloatArrays {
    private FloatArrays() {
    }

    /** A copy of a's elements in C order, as float32. */
    static float[] of(INDArray a) {
        INDArray c = a.dataType() == DataType.FLOAT && a.ordering() == 'c' && !a.isView() ? a : a.castTo(DataType.FLOAT).dup('c');
        return c.data().asFloat();
    }

    static INDArray array(float[] v, long... shape) {
        return Nd4j.create(v, shape.clone(), 'c');
    }
}
