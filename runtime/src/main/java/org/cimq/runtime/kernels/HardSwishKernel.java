package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ONNX HardSwish (opset 14): x * max(0, min(1, x / 6 + 0.5)). */
final class HardSwishKernel implements Kernel {
    private final Node node;

    HardSwishKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray x = FloatOps.requireFloat(node, inputs[0]);
        INDArray z = HardSigmoidKernel.of(x, 1.0 / 6.0, 0.5);
        return new INDArray[] {x.isEmpty() ? z : z.muli(x)};
    }
}
