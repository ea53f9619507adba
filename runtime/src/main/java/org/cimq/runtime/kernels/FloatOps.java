package org.cimq.runtime.kernels;

import java.util.function.BiFunction;
import org.cimq.ir.Node;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.Op;
import org.nd4j.linalg.factory.Nd4j;

/** Runs an ND4J element-wise op from an input into a new array of the same type and shape. */
final class FloatOps {
    private FloatOps() {
    }

    /** {@code op(x, z)} executed into a fresh {@code z}; {@code x} is left untouched. */
    static INDArray map(INDArray x, BiFunction<INDArray, INDArray, Op> op) {
        if (x.isEmpty()) {
            return x.dup();
        }
        INDArray z = Nd4j.createUninitialized(x.dataType(), x.shape());
        Nd4j.exec(op.apply(x, z));
        return z;
    }

    /** Throws unless {@code x} has a floating-point type. */
    static INDArray requireFloat(Node node, INDArray x) {
        if (!x.dataType().isFPType()) {
            throw new KernelException(node.describe() + ": input type " + x.dataType() + " is not supported (floating-point types only)");
        }
        return x;
    }
}
