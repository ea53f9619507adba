package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.InPlaceKernel;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ONNX Div (opset 7+): Element-wise division (integer division truncates toward zero; dividing by an integer zero throws) with multidirectional broadcasting, float and integer types. */
final class DivKernel implements InPlaceKernel {
    private final Node node;

    DivKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        return new INDArray[] {BinaryOp.DIV.apply(node, inputs[0], inputs[1])};
    }

    @Override
    public INDArray[] runInPlace(INDArray[] inputs) {
        return new INDArray[] {BinaryOp.DIV.applyInPlace(node, inputs[0], inputs[1])};
    }
}
