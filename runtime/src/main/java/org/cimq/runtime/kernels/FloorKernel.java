package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.same.Floor;

/** ONNX Floor (opset 6+): largest integer not above x, on floating-point tensors. */
final class FloorKernel implements Kernel {
    private final Node node;

    FloorKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        return new INDArray[] {FloatOps.map(FloatOps.requireFloat(node, inputs[0]), Floor::new)};
    }
}
