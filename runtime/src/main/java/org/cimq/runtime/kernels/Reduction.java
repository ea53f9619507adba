package org.cimq.runtime.kernels;

import java.util.function.BiFunction;
import org.cimq.ir.Node;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The axis handling shared by the Reduce* kernels: {@code axes} as an attribute before the
 * opset where it became the optional second input, {@code keepdims} (default 1) and
 * {@code noop_with_empty_axes} (no axes: reduce all, or return the input when set).
 */
final class Reduction {
    private final Node node;
    private final boolean keepDims;
    private final boolean noopWithEmptyAxes;
    private final long[] axesAttr;
    private final boolean axesInput;

    Reduction(Node node, int opset, int axesInputSince) {
        this.node = node;
        this.keepDims = node.attrInt("keepdims", 1) != 0;
        this.axesInput = opset >= axesInputSince;
        this.noopWithEmptyAxes = axesInput && node.attrInt("noop_with_empty_axes", 0) != 0;
        this.axesAttr = axesInput ? null : node.attrInts("axes", null);
    }

    /**
     * Applies {@code op} (reducing the given dimensions without keeping them) and gives the
     * result the input's type and ONNX's shape; {@code emptyValue} fills reductions of empty sets.
     */
    INDArray apply(INDArray[] inputs, BiFunction<INDArray, int[], INDArray> op, double emptyValue) {
        INDArray x = inputs[0];
        long[] axes = axesInput ? (inputs.length > 1 && inputs[1] != null ? IndexArrays.toLongs(inputs[1]) : null) : axesAttr;
        int r = x.rank();
        if (axes == null || axes.length == 0) {
            if (noopWithEmptyAxes) {
                return Layouts.contiguous(x);
            }
            axes = java.util.stream.LongStream.range(0, r).toArray();
        }
        int[] dims = Axes.normalizeAll(axes, r, node, "axes");
        if (r == 0) {
            return Layouts.contiguous(x);
        }
        long[] shape = x.shape();
        boolean[] reduced = new boolean[r];
        for (int d : dims) {
            reduced[d] = true;
        }
        long[] out = new long[r];
        int n = 0;
        for (int d = 0; d < r; d++) {
            if (!reduced[d] || keepDims) {
                out[n++] = reduced[d] ? 1 : shape[d];
            }
        }
        out = java.util.Arrays.copyOf(out, n);
        if (x.length() == 0) {
            INDArray e = Nd4j.create(x.dataType(), out);
            if (e.length() > 0) {
                if (Double.isInfinite(emptyValue) && !x.dataType().isFPType()) {
                    throw new KernelException(node.describe() + ": cannot reduce an empty set of integers");
                }
                e.assign(emptyValue);
            }
            return e;
        }
        INDArray res = op.apply(x, dims);
        if (res.dataType() != x.dataType()) {
            res = res.castTo(x.dataType());
        }
        return Layouts.reshape(Layouts.contiguous(res), out);
    }
}
