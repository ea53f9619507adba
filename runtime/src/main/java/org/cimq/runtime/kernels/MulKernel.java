package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.InPlaceKernel;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ONNX Mul (opset 7+): Element-wise multiplication with multidirectional broadcasting, float and integer types. */
final class MulKernel implements InPlaceKernel {
    private final Node node;

    MulKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        return new INDArray[] {BinaryOp.MUL.apply(node, inputs[0], inputs[1])};
    }

    @Override
    public INDArray[] runInPlace(INDArray[] inputs) {
        return new INDArray[] {BinaryOp.MUL.applyInPlace(node, inputs[0], inputs[1])};
    }
}
