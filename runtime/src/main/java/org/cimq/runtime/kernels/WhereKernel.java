package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/** ONNX Where (opset 9+): picks X where the BOOL condition holds, else Y, broadcasting all three. */
final class WhereKernel implements Kernel {
    private final Node node;

    WhereKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray c = inputs[0];
        INDArray x = inputs[1];
        INDArray y = inputs[2];
        if (c.dataType() != DataType.BOOL) {
            throw new KernelException(node.describe() + ": condition must be BOOL, got " + c.dataType());
        }
        if (x.dataType() != y.dataType()) {
            throw new KernelException(node.describe() + ": X and Y must have the same type, got " + x.dataType() + " and " + y.dataType());
        }
        long[] shape = Broadcast.shape(node, c, x, y);
        INDArray z = Nd4j.create(x.dataType(), shape);
        if (Broadcast.numel(shape) > 0) {
            Nd4j.exec(DynamicCustomOp.builder("select")
                    .addInputs(Broadcast.to(c, shape), Broadcast.to(x, shape), Broadcast.to(y, shape))
                    .addOutputs(z).build());
        }
        return new INDArray[] {z};
    }
}
