package org.cimq.runtime.kernels;

import java.util.Arrays;
import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.UnsupportedOpException;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX Conv (opsets 1, 11; identical layout): 1-D and 2-D convolution with groups, strides,
 * dilations, explicit (also asymmetric) pads or auto_pad, and an optional bias. 1-D runs as
 * 2-D with H = 1. 3-D convolution is not supported. Float convolutions with at most
 * {@link JavaConv2d#MAX_CHANNELS_PER_GROUP} channels per group run on {@link JavaConv2d} (see
 * {@link JavaConv2d#applies} for the exact rule); all others (other data types, more channels,
 * empty or over-2^31-cell arrays) on ND4J's oneDNN convolution ({@link Conv2d}).
 */
public final class ConvKernel implements Kernel {
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
        INDArray x = inputs[0];
        INDArray w = inputs[1];
        INDArray b = inputs.length > 2 ? inputs[2] : null;
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
        WindowGeometry.Resolved g = geometry.resolve(Arrays.copyOfRange(x.shape(), 2, x.rank()), k);
        long[] s = {1, geometry.stride(0)};
        long[] d = {1, geometry.dilation(0)};
        long[] pb = {0, g.padBegin()[0]};
        long[] pe = {0, g.padEnd()[0]};
        if (r == 2) {
            s = new long[] {geometry.stride(0), geometry.stride(1)};
            d = new long[] {geometry.dilation(0), geometry.dilation(1)};
            pb = g.padBegin();
            pe = g.padEnd();
        } else {
            x = x.reshape('c', x.size(0), x.size(1), 1, x.size(2));
            w = w.reshape('c', w.size(0), w.size(1), 1, w.size(2));
        }
        INDArray bias = b == null ? null : b.reshape(b.length());
        INDArray y;
        if (JavaConv2d.applies(x, w, bias, s, pb, pe, d, group)) {
            y = JavaConv2d.run(x, w, bias, s, pb, pe, d, group);
        } else {
            if (!Arrays.equals(pb, pe)) {
                x = Conv2d.zeroPad(x, pb, pe);
                pb = new long[2];
            }
            y = Conv2d.run(x, w, bias, s, pb, d, group);
        }
        if (r == 1) {
            y = y.reshape('c', y.size(0), y.size(1), y.size(3));
        }
        return new INDArray[] {y};
    }
}
