package org.cimq.runtime.kernels;

import java.util.Arrays;
import org.cimq.ir.Node;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Numerically stable (log-)softmax for Softmax and LogSoftmax. Before opset 13 the input is
 * coerced to 2-D at {@code axis} and normalised over the flattened trailing dimensions; from
 * opset 13 it is normalised along the single {@code axis}.
 */
final class Softmaxes {
    private Softmaxes() {
    }

    /** The axis attribute (default 1 before opset 13, -1 from 13) as read from {@code node}. */
    static long axis(Node node, int opset) {
        return node.attrInt("axis", opset >= 13 ? -1 : 1);
    }

    static INDArray compute(Node node, INDArray x, long axisAttr, boolean coerce2d, boolean log) {
        FloatOps.requireFloat(node, x);
        int r = x.rank();
        if (axisAttr < -r || axisAttr >= r) {
            throw new KernelException(node.describe() + ": axis " + axisAttr + " is out of range for rank " + r);
        }
        int axis = (int) (axisAttr < 0 ? axisAttr + r : axisAttr);
        if (x.isEmpty()) {
            return x.dup();
        }
        if (!coerce2d) {
            return along(node, x, axis, log);
        }
        long[] shape = x.shape();
        long rows = Broadcast.numel(Arrays.copyOfRange(shape, 0, axis));
        long cols = Broadcast.numel(Arrays.copyOfRange(shape, axis, r));
        return along(node, x.reshape('c', rows, cols), 1, log).reshape('c', shape);
    }

    private static INDArray along(Node node, INDArray x, int axis, boolean log) {
        INDArray shifted = BinaryOp.SUB.apply(node, x, x.max(true, axis));
        INDArray e = Transforms.exp(shifted, true);
        INDArray sum = e.sum(true, axis);
        if (log) {
            return BinaryOp.SUB.apply(node, shifted, Transforms.log(sum, false));
        }
        return BinaryOp.DIV.apply(node, e, sum);
    }
}
