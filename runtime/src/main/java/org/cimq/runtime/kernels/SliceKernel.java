package org.cimq.runtime.kernels;

import java.util.ArrayList;
import java.util.List;
import org.cimq.ir.Node;
import org.cimq.runtime.OutputReusingKernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.Reverse;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ONNX Slice. Before opset 10 {@code starts}, {@code ends}, {@code axes} are attributes; from
 * 10 they are inputs (INT32 or INT64) with optional {@code axes} and {@code steps}. Negative
 * indices count from the end; starts and ends are clamped as ONNX specifies (to [0, dim] for
 * positive steps, to [0, dim-1] and [-1, dim-1] for negative steps).
 */
final class SliceKernel implements OutputReusingKernel {
    private final Node node;
    private final long[][] attrs;

    SliceKernel(Node node, int opset) {
        this.node = node;
        if (opset < 10) {
            long[] starts = node.attrInts("starts", null);
            long[] ends = node.attrInts("ends", null);
            if (starts == null || ends == null) {
                throw new KernelException(node.describe() + ": the 'starts' and 'ends' attributes are required before opset 10");
            }
            attrs = new long[][] {starts, ends, node.attrInts("axes", null), null};
        } else {
            attrs = null;
        }
    }

    /** What a call selects: the index per axis, the output shape, and the axes read backwards (negative steps). */
    private record Selection(INDArrayIndex[] idx, long[] out, List<Integer> reversed) {
        boolean empty() {
            return IndexArrays.product(out, 0, out.length) == 0;
        }
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray x = inputs[0];
        Selection sel = select(inputs);
        if (sel.empty()) {
            return new INDArray[] {Nd4j.create(x.dataType(), sel.out())};
        }
        INDArray r = NativeCopy.dense(x.get(sel.idx()));
        if (!sel.reversed().isEmpty()) {
            r = Nd4j.exec(new Reverse(r, sel.reversed().stream().mapToInt(Integer::intValue).toArray()))[0];
        }
        return new INDArray[] {r};
    }

    @Override
    public long[] reusableOutputShape(INDArray[] inputs) {
        if (inputs[0].dataType() != DataType.FLOAT) {
            return null;
        }
        Selection sel = select(inputs);
        return sel.empty() || !sel.reversed().isEmpty() ? null : sel.out();
    }

    @Override
    public INDArray[] runInto(INDArray[] inputs, INDArray out) {
        Selection sel = select(inputs);
        if (sel.empty() || !sel.reversed().isEmpty()) {
            return null;
        }
        return NativeCopy.copy(out, inputs[0].get(sel.idx())) ? new INDArray[] {out} : null;
    }

    private Selection select(INDArray[] inputs) {
        INDArray x = inputs[0];
        long[][] p = attrs != null ? attrs : new long[][] {IndexArrays.toLongs(inputs[1]), IndexArrays.toLongs(inputs[2]),
            optional(inputs, 3), optional(inputs, 4)};
        long[] starts = p[0];
        long[] ends = p[1];
        int n = starts.length;
        long[] axes = p[2] != null ? p[2] : java.util.stream.LongStream.range(0, n).toArray();
        long[] steps = p[3];
        if (ends.length != n || axes.length != n || steps != null && steps.length != n) {
            throw new KernelException(node.describe() + ": starts, ends, axes and steps must have the same length");
        }
        long[] shape = x.shape();
        INDArrayIndex[] idx = new INDArrayIndex[shape.length];
        java.util.Arrays.fill(idx, NDArrayIndex.all());
        long[] out = shape.clone();
        List<Integer> reversed = new ArrayList<>();
        int[] ax = Axes.normalizeAll(axes, shape.length, node, "axes");
        for (int i = 0; i < n; i++) {
            long step = steps == null ? 1 : steps[i];
            if (step == 0) {
                throw new KernelException(node.describe() + ": steps must not be 0");
            }
            long dim = shape[ax[i]];
            long s = starts[i] < 0 ? starts[i] + dim : starts[i];
            long e = ends[i] < 0 ? ends[i] + dim : ends[i];
            long len;
            if (step > 0) {
                s = clamp(s, 0, dim);
                e = clamp(e, 0, dim);
                len = e > s ? (e - s + step - 1) / step : 0;
            } else {
                s = clamp(s, 0, dim - 1);
                e = clamp(e, -1, dim - 1);
                len = s > e ? (s - e - step - 1) / -step : 0;
            }
            out[ax[i]] = len;
            if (len > 0) {
                long last = s + (len - 1) * step;
                idx[ax[i]] = NDArrayIndex.interval(Math.min(s, last), Math.abs(step), Math.max(s, last) + 1);
                if (step < 0 && len > 1) {
                    reversed.add(ax[i]);
                }
            }
        }
        return new Selection(idx, out, reversed);
    }

    private static long[] optional(INDArray[] inputs, int i) {
        return inputs.length > i && inputs[i] != null ? IndexArrays.toLongs(inputs[i]) : null;
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
