package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.InPlaceKernel;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ONNX Sub (opset 7+): Element-wise subtraction with multidirectional broadcasting, float and integer types. */
final class SubKernel implements InPlaceKernel {
    private final Node node;

    SubKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        return new INDArray[] {BinaryOp.SUB.apply(node, inputs[0], inputs[1])};
    }

    @Override
    public INDArray[] runInPlace(INDArray[] inputs) {
        return new INDArray[] {BinaryOp.SUB.applyInPlace(node, inputs[0], inputs[1])};
    }
}
