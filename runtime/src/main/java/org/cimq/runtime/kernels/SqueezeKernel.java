package org.cimq.runtime.kernels;

import java.util.Arrays;
import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX Squeeze: removes the size-1 dimensions at {@code axes} (negative from opset 11), or all
 * size-1 dimensions when no axes are given. Axes are an attribute before opset 13 and the
 * optional second input from 13.
 */
final class SqueezeKernel implements Kernel {
    private final Node node;
    private final int opset;
    private final long[] axesAttr;

    SqueezeKernel(Node node, int opset) {
        this.node = node;
        this.opset = opset;
        this.axesAttr = opset < 13 ? node.attrInts("axes", null) : null;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray x = inputs[0];
        long[] axes = opset < 13 ? axesAttr
                : inputs.length > 1 && inputs[1] != null ? IndexArrays.toLongs(inputs[1]) : null;
        long[] in = x.shape();
        boolean[] drop = new boolean[in.length];
        if (axes == null) {
            for (int i = 0; i < in.length; i++) {
                drop[i] = in[i] == 1;
            }
        } else {
            for (int a : Axes.normalizeAll(axes, in.length, node, "axes")) {
                if (in[a] != 1) {
                    throw new KernelException(node.describe() + ": cannot squeeze axis " + a + " of shape " + Arrays.toString(in));
                }
                drop[a] = true;
            }
        }
        long[] out = new long[in.length];
        int n = 0;
        for (int i = 0; i < in.length; i++) {
            if (!drop[i]) {
                out[n++] = in[i];
            }
        }
        return new INDArray[] {Layouts.reshape(x, Arrays.copyOf(out, n))};
    }
}
