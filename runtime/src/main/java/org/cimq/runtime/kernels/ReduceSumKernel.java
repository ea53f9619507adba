package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX ReduceSum: the sum over {@code axes} (all when none), keeping reduced dimensions as 1
 * unless {@code keepdims} = 0. Axes are an attribute before opset 13 and the optional second
 * input from 13, where {@code noop_with_empty_axes} = 1 makes "no axes" return the input.
 */
final class ReduceSumKernel implements Kernel {
    private final Reduction reduction;

    ReduceSumKernel(Node node, int opset) {
        this.reduction = new Reduction(node, opset, 13);
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        return new INDArray[] {reduction.apply(inputs, (x, d) -> x.sum(false, d), 0)};
    }
}
