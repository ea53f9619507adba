package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX Gather: picks slices of {@code data} along {@code axis} (default 0, negative from opset
 * 11) at integer {@code indices} of any rank (negative ones count from the end). The output
 * shape is data.shape[:axis] + indices.shape + data.shape[axis+1:].
 */
final class GatherKernel implements Kernel {
    private final Node node;
    private final long axis;

    GatherKernel(Node node, int opset) {
        this.node = node;
        this.axis = node.attrInt("axis", 0);
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray data = inputs[0];
        long[] ds = data.shape();
        int a = Axes.normalize(axis, ds.length, node, "axis");
        long[] idx = IndexArrays.toLongs(inputs[1]);
        for (int i = 0; i < idx.length; i++) {
            long v = idx[i] < 0 ? idx[i] + ds[a] : idx[i];
            if (v < 0 || v >= ds[a]) {
                throw new KernelException(node.describe() + ": index " + idx[i] + " is out of range for axis " + a
                        + " of size " + ds[a]);
            }
            idx[i] = v;
        }
        long[] is = inputs[1].shape();
        long[] out = new long[ds.length - 1 + is.length];
        System.arraycopy(ds, 0, out, 0, a);
        System.arraycopy(is, 0, out, a, is.length);
        System.arraycopy(ds, a + 1, out, a + is.length, ds.length - a - 1);
        return new INDArray[] {Layouts.reshape(Layouts.take(data, a, idx), out)};
    }
}
