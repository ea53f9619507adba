package org.cimq.runtime.cim;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Rint;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Element-wise helpers shared by the CIM kernels; all work on float32 like ONNX's float ops. */
final class CimArrays {
    private CimArrays() {
    }

    /** A new float array: round-half-to-even of {@code x / step}, clamped to [lo, hi]. */
    static INDArray quantize(INDArray x, float step, float lo, float hi) {
        INDArray z = x.castTo(DataType.FLOAT).div(step);
        Nd4j.exec(new Rint(z, z));
        return clampInPlace(z, lo, hi);
    }

    /** Rounds {@code z} half-to-even in place. */
    static INDArray rintInPlace(INDArray z) {
        Nd4j.exec(new Rint(z, z));
        return z;
    }

    static INDArray clampInPlace(INDArray z, float lo, float hi) {
        Transforms.max(z, lo, false);
        Transforms.min(z, hi, false);
        return z;
    }
}
