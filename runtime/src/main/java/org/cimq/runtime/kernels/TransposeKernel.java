package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ONNX Transpose: permutes dimensions by {@code perm} (default: reversed). Same in all opsets. */
final class TransposeKernel implements Kernel {
    private final Node node;
    private final long[] perm;

    TransposeKernel(Node node, int opset) {
        this.node = node;
        this.perm = node.attrInts("perm", null);
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray x = inputs[0];
        int r = x.rank();
        int[] p = new int[r];
        if (perm == null) {
            for (int i = 0; i < r; i++) {
                p[i] = r - 1 - i;
            }
        } else {
            if (perm.length != r) {
                throw new KernelException(node.describe() + ": perm has " + perm.length + " entries, input has rank " + r);
            }
            p = Axes.normalizeAll(perm, r, node, "perm");
        }
        return new INDArray[] {Layouts.permute(x, p)};
    }
}
