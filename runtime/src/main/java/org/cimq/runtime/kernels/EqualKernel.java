package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** ONNX Equal (opset 7+): element-wise equality with multidirectional broadcasting; BOOL result. Strings unsupported. */
final class EqualKernel implements Kernel {
    private final Node node;

    EqualKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray a = inputs[0];
        INDArray b = inputs[1];
        if (a.dataType() != b.dataType()) {
            throw new KernelException(node.describe() + ": inputs must have the same type, got " + a.dataType() + " and " + b.dataType());
        }
        if (a.dataType() == DataType.UTF8) {
            throw new KernelException(node.describe() + ": string inputs are not supported");
        }
        long[] shape = Broadcast.shape(node, a, b);
        INDArray z = Nd4j.create(DataType.BOOL, shape);
        if (Broadcast.numel(shape) > 0) {
            Nd4j.exec(DynamicCustomOp.builder("equals").addInputs(a, b).addOutputs(z).build());
        }
        return new INDArray[] {z};
    }
}
