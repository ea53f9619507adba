package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.InPlaceKernel;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ONNX Add (opset 7+): Element-wise addition with multidirectional broadcasting, float and integer types. */
final class AddKernel implements InPlaceKernel {
    private final Node node;

    AddKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        return new INDArray[] {BinaryOp.ADD.apply(node, inputs[0], inputs[1])};
    }

    @Override
    public INDArray[] runInPlace(INDArray[] inputs) {
        return new INDArray[] {BinaryOp.ADD.applyInPlace(node, inputs[0], inputs[1])};
    }
}
