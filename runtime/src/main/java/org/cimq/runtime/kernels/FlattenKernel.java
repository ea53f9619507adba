package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX Flatten: reshapes to 2-D [prod(dims before axis), prod(dims from axis)]. {@code axis}
 * (default 1) may be in [-rank, rank] (negative from opset 11); axis 0 gives [1, size].
 */
final class FlattenKernel implements Kernel {
    private final Node node;
    private final long axis;

    FlattenKernel(Node node, int opset) {
        this.node = node;
        this.axis = node.attrInt("axis", 1);
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray x = inputs[0];
        long[] s = x.shape();
        int r = s.length;
        if (axis < -r || axis > r) {
            throw new KernelException(node.describe() + ": axis " + axis + " is out of range for rank " + r);
        }
        int a = (int) (axis < 0 ? axis + r : axis);
        long[] out = {IndexArrays.product(s, 0, a), IndexArrays.product(s, a, r)};
        return new INDArray[] {Layouts.reshape(x, out)};
    }
}
