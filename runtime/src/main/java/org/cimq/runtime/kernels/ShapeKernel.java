package org.cimq.runtime.kernels;

import java.util.Arrays;
import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ONNX Shape: the input's dimensions as 1-D INT64; opset 15 adds {@code start}/{@code end} (clamped like Python slices). */
final class ShapeKernel implements Kernel {
    private final long start;
    private final Long end;

    ShapeKernel(Node node, int opset) {
        this.start = opset >= 15 ? node.attrInt("start", 0) : 0;
        this.end = opset >= 15 && node.hasAttr("end") ? node.attrInt("end", 0) : null;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        long[] s = inputs[0].shape();
        int r = s.length;
        int from = clamp(start, r);
        int to = end == null ? r : clamp(end, r);
        return new INDArray[] {IndexArrays.vector(Arrays.copyOfRange(s, from, Math.max(from, to)))};
    }

    private static int clamp(long v, int r) {
        return (int) Math.max(0, Math.min(r, v < 0 ? v + r : v));
    }
}
