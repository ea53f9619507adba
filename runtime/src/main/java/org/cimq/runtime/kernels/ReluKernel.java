package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.InPlaceKernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.factory.Nd4j;

/** ONNX Relu (opset 6+): max(x, 0); floating types, and signed integers (opset 14). */
final class ReluKernel implements InPlaceKernel {
    private final Node node;

    ReluKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray x = inputs[0];
        if (x.dataType().isFPType()) {
            return new INDArray[] {FloatOps.map(x, (in, out) -> new RectifiedLinear(in, out, 0.0))};
        }
        if (!x.dataType().isIntType() || x.dataType() == DataType.BOOL) {
            throw new KernelException(node.describe() + ": input type " + x.dataType() + " is not supported");
        }
        return new INDArray[] {Ints.map(x, v -> Math.max(v, 0))};
    }

    @Override
    public INDArray[] runInPlace(INDArray[] inputs) {
        INDArray x = inputs[0];
        if (!x.dataType().isFPType() || x.isView()) {
            return run(inputs);
        }
        Nd4j.exec(new RectifiedLinear(x, x, 0.0));
        return new INDArray[] {x};
    }
}
