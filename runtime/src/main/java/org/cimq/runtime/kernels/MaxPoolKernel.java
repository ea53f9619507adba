package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX MaxPool (opsets 1, 8, 10, 11, 12) over 1 to 3 spatial axes: strides, pads, auto_pad,
 * dilations and ceil_mode (opset 10+), and the optional Indices output (opset 8+) as flat
 * input positions in row-major (storage_order 0) or column-major (1) order.
 */
public final class MaxPoolKernel implements Kernel {
    private final PoolAttributes attrs;
    private final boolean indices;
    private final boolean columnMajor;

    public MaxPoolKernel(Node node, int opset) {
        this.attrs = new PoolAttributes(node);
        long order = node.attrInt("storage_order", 0);
        if (order != 0 && order != 1) {
            throw new KernelException(node.describe() + ": storage_order must be 0 or 1, got " + order);
        }
        this.columnMajor = order == 1;
        this.indices = node.outputs().size() > 1 && node.output(1) != null;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray x = inputs[0];
        WindowGeometry.Resolved g = attrs.resolve(x);
        if (!indices && Pool2dValid.applies(x, attrs.kernel, attrs.strides, attrs.dilations, g)) {
            return new INDArray[] {Pool2dValid.max(x, attrs.kernel, attrs.strides)};
        }
        PoolLoops.Result r = PoolLoops.pool(x, attrs.kernel, attrs.strides, attrs.dilations, g,
                true, false, indices, columnMajor);
        return indices ? new INDArray[] {r.values(), r.indices()} : new INDArray[] {r.values()};
    }
}
