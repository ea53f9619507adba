package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX AveragePool (opsets 7, 10, 11, 19) over 1 to 3 spatial axes: strides, pads, auto_pad,
 * count_include_pad, ceil_mode (opset 10+) and dilations (opset 19+).
 */
public final class AveragePoolKernel implements Kernel {
    private final PoolAttributes attrs;
    private final boolean countIncludePad;

    public AveragePoolKernel(Node node, int opset) {
        this.attrs = new PoolAttributes(node);
        this.countIncludePad = node.attrInt("count_include_pad", 0) != 0;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray x = inputs[0];
        WindowGeometry.Resolved g = attrs.resolve(x);
        if (Pool2dValid.applies(x, attrs.kernel, attrs.strides, attrs.dilations, g)) {
            return new INDArray[] {Pool2dValid.average(x, attrs.kernel, attrs.strides)};
        }
        return new INDArray[] {PoolLoops.pool(x, attrs.kernel, attrs.strides, attrs.dilations, g,
                false, countIncludePad, false, false).values()};
    }
}
