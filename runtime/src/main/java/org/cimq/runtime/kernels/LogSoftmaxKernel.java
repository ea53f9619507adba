package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX LogSoftmax. Opset 1-12: the input is coerced to 2-D at {@code axis} (default 1) and
 * normalised over the flattened trailing dimensions. Opset 13+: normalised along the single
 * {@code axis} (default -1).
 */
final class LogSoftmaxKernel implements Kernel {
    private final Node node;
    private final long axis;
    private final boolean coerce2d;

    LogSoftmaxKernel(Node node, int opset) {
        this.node = node;
        this.axis = Softmaxes.axis(node, opset);
        this.coerce2d = opset < 13;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        return new INDArray[] {Softmaxes.compute(node, inputs[0], axis, coerce2d, true)};
    }
}
