package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;

/** ONNX Sigmoid (opset 6+), element-wise on floating-point tensors. */
final class SigmoidKernel implements Kernel {
    private final Node node;

    SigmoidKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        return new INDArray[] {FloatOps.map(FloatOps.requireFloat(node, inputs[0]), Sigmoid::new)};
    }
}
