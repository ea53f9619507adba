package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX Unsqueeze: inserts size-1 dimensions at {@code axes} of the output (any order,
 * negative from opset 11). Axes are an attribute before opset 13 and the second input from 13.
 */
final class UnsqueezeKernel implements Kernel {
    private final Node node;
    private final long[] axesAttr;

    UnsqueezeKernel(Node node, int opset) {
        this.node = node;
        this.axesAttr = opset < 13 ? node.attrInts("axes", null) : null;
        if (opset < 13 && axesAttr == null) {
            throw new KernelException(node.describe() + ": the 'axes' attribute is required before opset 13");
        }
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray x = inputs[0];
        if (axesAttr == null && (inputs.length < 2 || inputs[1] == null)) {
            throw new KernelException(node.describe() + ": the 'axes' input is required");
        }
        long[] axes = axesAttr != null ? axesAttr : IndexArrays.toLongs(inputs[1]);
        long[] in = x.shape();
        int r = in.length + axes.length;
        boolean[] inserted = new boolean[r];
        for (int a : Axes.normalizeAll(axes, r, node, "axes")) {
            inserted[a] = true;
        }
        long[] out = new long[r];
        for (int i = 0, j = 0; i < r; i++) {
            out[i] = inserted[i] ? 1 : in[j++];
        }
        return new INDArray[] {Layouts.reshape(x, out)};
    }
}
