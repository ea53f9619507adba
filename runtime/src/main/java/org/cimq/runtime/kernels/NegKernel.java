package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.same.Negative;

/** ONNX Neg (opset 6+): -x for floating types and signed integers (integers wrap like C). */
final class NegKernel implements Kernel {
    private final Node node;

    NegKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray x = inputs[0];
        if (x.dataType().isFPType()) {
            return new INDArray[] {FloatOps.map(x, Negative::new)};
        }
        if (!x.dataType().isIntType() || x.dataType() == DataType.BOOL) {
            throw new KernelException(node.describe() + ": input type " + x.dataType() + " is not supported");
        }
        return new INDArray[] {Ints.map(x, v -> -v)};
    }
}
