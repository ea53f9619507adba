package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.OutputReusingKernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX Pad with modes constant, reflect and edge; negative pads crop. Before opset 11
 * {@code pads} and {@code value} are attributes; from 11 {@code pads} (INT64, all begins then
 * all ends) and the optional {@code constant_value} are inputs; opset 18 adds the optional
 * {@code axes} input. Mode wrap (opset 19) is not supported.
 */
final class PadKernel implements OutputReusingKernel {
    private final Node node;
    private final String mode;
    private final long[] padsAttr;
    private final double valueAttr;

    PadKernel(Node node, int opset) {
        this.node = node;
        this.mode = node.attrString("mode", "constant");
        if (!mode.equals("constant") && !mode.equals("reflect") && !mode.equals("edge")) {
            throw new KernelException(node.describe() + ": mode '" + mode + "' is not supported (supported: constant, reflect, edge)");
        }
        this.padsAttr = opset < 11 ? node.attrInts("pads", null) : null;
        if (opset < 11 && padsAttr == null) {
            throw new KernelException(node.describe() + ": the 'pads' attribute is required before opset 11");
        }
        this.valueAttr = node.attrFloat("value", 0f);
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        return pad(inputs, null);
    }

    @Override
    public long[] reusableOutputShape(INDArray[] inputs) {
        if (!mode.equals("constant") || inputs[0].dataType() != DataType.FLOAT || inputs[0].rank() == 0) {
            return null;
        }
        long[][] be = beginEnd(inputs);
        return PadModes.paddedShape(inputs[0].shape(), be[0], be[1]);
    }

    @Override
    public INDArray[] runInto(INDArray[] inputs, INDArray out) {
        return pad(inputs, out);
    }

    /** Begin and end amounts per axis, checked. */
    private long[][] beginEnd(INDArray[] inputs) {
        INDArray x = inputs[0];
        int r = x.rank();
        long[] pads = padsAttr != null ? padsAttr : IndexArrays.toLongs(inputs[1]);
        long[] axes = inputs.length > 3 && inputs[3] != null ? IndexArrays.toLongs(inputs[3]) : null;
        int[] ax = axes == null ? java.util.stream.IntStream.range(0, r).toArray() : Axes.normalizeAll(axes, r, node, "axes");
        if (pads.length != 2 * ax.length) {
            throw new KernelException(node.describe() + ": pads has " + pads.length + " entries, expected " + 2 * ax.length);
        }
        long[] begin = new long[r];
        long[] end = new long[r];
        for (int i = 0; i < ax.length; i++) {
            begin[ax[i]] = pads[i];
            end[ax[i]] = pads[i + ax.length];
        }
        long[] shape = x.shape();
        for (int d = 0; d < r; d++) {
            if (shape[d] + begin[d] + end[d] < 0) {
                throw new KernelException(node.describe() + ": pads crop more than axis " + d + " holds");
            }
        }
        return new long[][] {begin, end};
    }

    /** The padded input, written into {@code into} (constant mode) when it is not null. */
    private INDArray[] pad(INDArray[] inputs, INDArray into) {
        INDArray x = inputs[0];
        int r = x.rank();
        long[][] be = beginEnd(inputs);
        long[] begin = be[0];
        long[] end = be[1];
        long[] shape = x.shape();
        if (mode.equals("constant")) {
            double value = padsAttr != null ? valueAttr
                    : inputs.length > 2 && inputs[2] != null && inputs[2].length() > 0 ? inputs[2].getDouble(0) : 0;
            return new INDArray[] {PadModes.constant(x, begin, end, value, into)};
        }
        INDArray out = x;
        for (int d = 0; d < r; d++) {
            if (begin[d] != 0 || end[d] != 0) {
                if (shape[d] == 0 && shape[d] + begin[d] + end[d] > 0) {
                    throw new KernelException(node.describe() + ": cannot " + mode + "-pad the empty axis " + d);
                }
                out = Layouts.take(out, d, PadModes.sourceIndices(shape[d], begin[d], end[d], mode.equals("reflect")));
            }
        }
        return new INDArray[] {Layouts.contiguous(out)};
    }
}
