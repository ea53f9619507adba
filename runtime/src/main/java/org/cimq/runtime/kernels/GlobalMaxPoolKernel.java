package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ONNX GlobalMaxPool (opset 1 on): the maximum over all spatial axes, kept as size-1 axes. */
public final class GlobalMaxPoolKernel implements Kernel {
    private final Node node;

    public GlobalMaxPoolKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        return new INDArray[] {GlobalPool.reduce(node, inputs[0], true)};
    }
}
