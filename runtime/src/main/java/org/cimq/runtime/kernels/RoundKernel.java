package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Rint;

/** ONNX Round (opset 11+): nearest integer, halves to even, on floating-point tensors. */
final class RoundKernel implements Kernel {
    private final Node node;

    RoundKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        return new INDArray[] {FloatOps.map(FloatOps.requireFloat(node, inputs[0]), Rint::new)};
    }
}
