package org.cimq.runtime.cim;

import java.util.Arrays;
import org.cimq.ir.Attr;
import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.cimq.runtime.StandardKernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code CimArray}: the integer partial sums of one memory array (one row tile of a layer).
 * Inputs: the layer's integer input codes, and this array's weight slices — a constant holding,
 * for every slice j, the layer's weight digits with rows outside this array set to zero: shape
 * [J, N, Cin/group, kh, kw] for {@code kind = "conv"}, [J, K, N] for {@code kind = "matmul"}.
 * Output: {@code ps[p, j, ...y]} = Σ over the array's rows of digit_p(a) · slice_j, for every
 * input plane p ({@link InputMode}, attributes {@code bits}, {@code dac_bits}, {@code input_mode})
 * and slice j, where y is the layer's output shape ([B, N, H', W'] for conv with the Conv
 * attributes strides, pads, dilations, group; [..., M, N] for matmul). Values are exact integers
 * (float32 holds them exactly below 2^24; the result is rounded to remove any algorithmic error).
 */
final class CimArrayKernel implements Kernel {
    private final Node node;
    private final boolean conv;
    private final InputMode mode;
    private final int bits;
    private final int dacBits;
    private final org.cimq.runtime.Kernel convKernel;

    CimArrayKernel(Node node, int opset) {
        this.node = node;
        String kind = node.attrString("kind", "");
        if (!kind.equals("conv") && !kind.equals("matmul")) {
            throw new KernelException(node.describe() + ": attribute kind must be 'conv' or 'matmul', got '" + kind + "'");
        }
        this.conv = kind.equals("conv");
        this.mode = InputMode.of(node);
        this.bits = (int) node.attrInt("bits", -1);
        this.dacBits = (int) node.attrInt("dac_bits", 1);
        if (bits < 1 || bits > 16 || dacBits < 1 || dacBits > bits) {
            throw new KernelException(node.describe() + ": need 1 <= bits <= 16 and 1 <= dac_bits <= bits, got bits "
                    + bits + ", dac_bits " + dacBits);
        }
        this.convKernel = conv ? convolution(node) : null;
    }

    private static org.cimq.runtime.Kernel convolution(Node node) {
        Node c = new Node(node.name() + "/conv", "Conv", "");
        for (String a : new String[] {"strides", "pads", "dilations", "group", "auto_pad"}) {
            Attr v = node.attr(a);
            if (v != null) {
                c.setAttr(a, v);
            }
        }
        return StandardKernels.registry().find("", "Conv", 13).create(c, 13);
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray planes = BitPlanes.of(inputs[0], mode, bits, dacBits);
        INDArray w = inputs[1].castTo(DataType.FLOAT);
        int slices = (int) w.size(0);
        INDArray[] perSlice = new INDArray[slices];
        for (int j = 0; j < slices; j++) {
            perSlice[j] = conv ? convSlice(planes, w.slice(j)) : matmulSlice(planes, w.slice(j));
        }
        INDArray ps = Nd4j.stack(1, perSlice);
        return new INDArray[] {CimArrays.rintInPlace(ps.dup('c'))};
    }

    /** planes [P, B, C, spatial...] conv slice [N, C/g, k...] → [P, B, N, spatial'...]. */
    private INDArray convSlice(INDArray planes, INDArray slice) {
        long[] s = planes.shape();
        long[] merged = Arrays.copyOfRange(s, 1, s.length);
        merged[0] = s[0] * s[1];
        INDArray y = convKernel.run(new INDArray[] {planes.reshape('c', merged), slice.dup('c')})[0];
        long[] out = new long[y.rank() + 1];
        out[0] = s[0];
        out[1] = s[1];
        System.arraycopy(y.shape(), 1, out, 2, y.rank() - 1);
        return y.reshape('c', out);
    }

    /** planes [P, ..., K] times slice [K, N] → [P, ..., N]. */
    private INDArray matmulSlice(INDArray planes, INDArray slice) {
        long[] s = planes.shape();
        long k = s[s.length - 1];
        if (k != slice.size(0)) {
            throw new KernelException(node.describe() + ": input has " + k + " features, the array's slices "
                    + Arrays.toString(slice.shape()) + " expect " + slice.size(0));
        }
        INDArray y = planes.reshape('c', planes.length() / k, k).mmul(slice);
        long[] out = s.clone();
        out[out.length - 1] = slice.size(1);
        return y.reshape('c', out);
    }
}
