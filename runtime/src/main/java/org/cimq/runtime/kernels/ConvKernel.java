package org.cimq.runtime.kernels;

import java.util.Arrays;
import org.cimq.ir.Node;
import org.cimq.runtime.NdArrays;
import org.cimq.runtime.OutputReusingKernel;
import org.cimq.runtime.UnsupportedOpException;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ONNX Conv (opsets 1, 11; identical layout): 1-D and 2-D convolution with groups, strides,
 * dilations, explicit (also asymmetric) pads or auto_pad, and an optional bias. 1-D runs as
 * 2-D with H = 1. 3-D convolution is not supported. Float32 convolutions run on cimq's native
 * convolution where it is active ({@link #convolveNative}, {@link FloatConvNative}); it sums in
 * another order than oneDNN, so its results differ from ND4J's by float rounding. Otherwise
 * batches of two or more images without dilation run split over threads ({@link BatchSplitConv2d},
 * rule in {@link BatchSplitConv2d#applies}); single images, dilated convolutions and one-thread
 * settings run as one ND4J call ({@link Conv2d}). Those two give the same numbers.
 */
public final class ConvKernel implements OutputReusingKernel {
    private final Node node;
    private final WindowGeometry geometry;
    private final long[] kernelShape;
    private final int group;

    public ConvKernel(Node node, int opset) {
        this.node = node;
        this.geometry = new WindowGeometry(node, false);
        this.kernelShape = node.attrInts("kernel_shape", null);
        this.group = Math.toIntExact(node.attrInt("group", 1));
        if (group < 1) {
            throw new KernelException(node.describe() + ": group must be >= 1, got " + group);
        }
        if (kernelShape != null) {
            checkSpatialRank(kernelShape.length);
            geometry.checkRank(kernelShape.length);
        }
    }

    private void checkSpatialRank(int r) {
        if (r != 1 && r != 2) {
            throw new UnsupportedOpException("Conv 3-D", node.describe() + ": only 1-D and 2-D convolution is supported, got "
                    + r + " spatial dimensions");
        }
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray b = inputs.length > 2 ? inputs[2] : null;
        INDArray y = convolveNative(inputs[0], inputs[1], b, null, false, null);
        return new INDArray[] {y != null ? y : convolve(inputs[0], inputs[1], b, null)};
    }

    @Override
    public long[] reusableOutputShape(INDArray[] inputs) {
        return floatOperands(inputs, 0) ? outputShape(inputs[0], inputs[1]) : null;
    }

    @Override
    public INDArray[] runInto(INDArray[] inputs, INDArray out) {
        INDArray b = inputs.length > 2 ? inputs[2] : null;
        return convolveNative(inputs[0], inputs[1], b, null, false, out) == null ? null : new INDArray[] {out};
    }

    /** Whether x, w (at {@code at}, {@code at + 1}) and the bias, if any, are float32: what the native convolution takes. */
    static boolean floatOperands(INDArray[] inputs, int at) {
        for (int i = at; i < inputs.length && i <= at + 2; i++) {
            if (inputs[i] != null && inputs[i].dataType() != DataType.FLOAT) {
                return false;
            }
        }
        return inputs.length > at + 1 && inputs[at] != null && inputs[at + 1] != null;
    }

    /** The output shape [N, O, spatial...] for input x and weights w (checked as {@link #run} checks them). */
    long[] outputShape(INDArray x, INDArray w) {
        WindowGeometry.Resolved g = resolve(x, w);
        long[] shape = new long[x.rank()];
        shape[0] = x.size(0);
        shape[1] = w.size(0);
        System.arraycopy(g.out(), 0, shape, 2, x.rank() - 2);
        return shape;
    }

    private WindowGeometry.Resolved resolve(INDArray x, INDArray w) {
        int r = x.rank() - 2;
        checkSpatialRank(r);
        long[] k = Arrays.copyOfRange(w.shape(), 2, w.rank());
        if (w.rank() != x.rank() || (kernelShape != null && !Arrays.equals(k, kernelShape))) {
            throw new KernelException(node.describe() + ": weight shape " + Arrays.toString(w.shape())
                    + " does not fit input " + Arrays.toString(x.shape()) + " and kernel_shape "
                    + Arrays.toString(kernelShape));
        }
        if (x.size(1) != w.size(1) * group || w.size(0) % group != 0) {
            throw new KernelException(node.describe() + ": input has " + x.size(1) + " channels, weights "
                    + Arrays.toString(w.shape()) + " with group " + group + " do not match");
        }
        return geometry.resolve(Arrays.copyOfRange(x.shape(), 2, x.rank()), k);
    }

    /** A call's operands in 4-D form (1-D as H = 1), pads made symmetric: what {@link Conv2d} takes. */
    private record Planar(INDArray x, INDArray w, INDArray bias, long[] s, long[] p, long[] d) {
    }

    private Planar planar(INDArray x, INDArray w, INDArray b) {
        WindowGeometry.Resolved g = resolve(x, w);
        long[] s = {1, geometry.stride(0)};
        long[] d = {1, geometry.dilation(0)};
        long[] pb = {0, g.padBegin()[0]};
        long[] pe = {0, g.padEnd()[0]};
        if (x.rank() == 4) {
            s = new long[] {geometry.stride(0), geometry.stride(1)};
            d = new long[] {geometry.dilation(0), geometry.dilation(1)};
            pb = g.padBegin();
            pe = g.padEnd();
        } else {
            x = x.reshape('c', x.size(0), x.size(1), 1, x.size(2));
            w = w.reshape('c', w.size(0), w.size(1), 1, w.size(2));
        }
        if (!Arrays.equals(pb, pe)) {
            x = Conv2d.zeroPad(x, pb, pe);
            pb = new long[2];
        }
        return new Planar(x, w, b == null ? null : b.reshape(b.length()), s, pb, d);
    }

    /**
     * The convolution of x with w and b (or null), then {@code epilogue} (or null) on the result
     * in its 4-D form (1-D convolutions as [N, O, 1, L]), image range by image range.
     */
    INDArray convolve(INDArray x, INDArray w, INDArray b, ConvEpilogue epilogue) {
        Planar c = planar(x, w, b);
        int threads = org.cimq.runtime.KernelThreads.limit(Nd4j.getEnvironment().maxMasterThreads());
        INDArray y;
        if (BatchSplitConv2d.applies(c.x(), c.w(), c.s(), c.p(), c.d(), threads)) {
            y = BatchSplitConv2d.run(c.x(), c.w(), c.bias(), c.s(), c.p(), c.d(), group, threads, epilogue);
        } else {
            y = Conv2d.run(c.x(), c.w(), c.bias(), c.s(), c.p(), c.d(), group);
            if (epilogue != null) {
                epilogue.apply(y, 0, y.size(0));
            }
        }
        return x.rank() == 3 ? y.reshape('c', y.size(0), y.size(1), y.size(3)) : y;
    }

    /**
     * relu?(conv(x, w, b) + addend?) on cimq's native convolution ({@link NativeConv}), split over
     * ND4J's per-op thread count, into {@code target} (which may be x or addend itself) or, when
     * target is null, a new array. Returns null, having done nothing, where the native convolution
     * does not apply ({@link NativeConv#applies}), or where addend (null or the output's shape) or
     * target (null or a plain c-order float32 array of the output's shape) do not fit.
     */
    INDArray convolveNative(INDArray x, INDArray w, INDArray b, INDArray addend, boolean relu, INDArray target) {
        long[] shape = outputShape(x, w);
        if ((addend != null && (!Arrays.equals(addend.shape(), shape) || addend.dataType() != DataType.FLOAT))
                || (target != null && (!NdArrays.isDenseFloat(target) || !Arrays.equals(target.shape(), shape)))) {
            return null;
        }
        Planar c = planar(x, w, b);
        if (!NativeConv.applies(c.x(), c.w(), c.bias(), c.s(), c.p(), c.d(), group)) {
            return null;
        }
        long[] shape4 = {shape[0], shape[1], shape.length == 3 ? 1 : shape[2], shape[shape.length - 1]};
        INDArray a4 = addend == null || shape.length == 4 ? addend : addend.reshape('c', shape4);
        INDArray t4 = target == null || shape.length == 4 ? target : target.reshape('c', shape4);
        if (t4 != null && !NdArrays.isDenseFloat(t4)) {
            return null;
        }
        INDArray y = NativeConv.run(c.x(), c.w(), c.bias(), c.s(), c.p(), c.d(), group, a4, relu, t4,
                org.cimq.runtime.KernelThreads.limit(Nd4j.getEnvironment().maxMasterThreads()));
        return target != null ? target : y.reshape('c', shape);
    }

    /**
     * Convolves without allocating an output: each range of images goes to its thread's scratch
     * array and {@code merge} writes it into {@code target} (the same range of images, 4-D form),
     * which may be x itself (a range's input is read before its output is merged). Returns false,
     * having done nothing, unless the batch is split over threads ({@link BatchSplitConv2d#applies})
     * and target is a C-ordered array of its own with the output's shape and x's type.
     */
    boolean convolveInto(INDArray x, INDArray w, INDArray b, INDArray target, ConvMerge merge) {
        long[] shape = outputShape(x, w);
        if (target.isView() || target.ordering() != 'c' || target.dataType() != x.dataType()
                || !Arrays.equals(target.shape(), shape)) {
            return false;
        }
        Planar c = planar(x, w, b);
        int threads = org.cimq.runtime.KernelThreads.limit(Nd4j.getEnvironment().maxMasterThreads());
        if (!BatchSplitConv2d.applies(c.x(), c.w(), c.s(), c.p(), c.d(), threads)) {
            return false;
        }
        INDArray t4 = x.rank() == 3 ? target.reshape('c', shape[0], shape[1], 1, shape[2]) : target;
        BatchSplitConv2d.runThroughScratch(c.x(), c.w(), c.bias(), c.s(), c.p(), c.d(), group, threads,
                (y, from, to) -> merge.apply(y, t4.get(NDArrayIndex.interval(from, to))));
        return true;
    }
}
