package org.cimq.runtime.cim;

import java.util.Arrays;
import org.cimq.ir.Attr;
import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.cimq.runtime.StandardKernels;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@code CimArray}: the integer partial sums of one memory array (one row tile of a layer).
 * Inputs: the layer's input digit planes [P, ...x] ({@code CimBitPlanes}), and this array's
 * weight slices, a constant holding, for every slice j, the weight digits of the rows the array
 * holds (other rows zero), restricted to the input it reads: for {@code kind = "conv"}
 * [J, N', C', k...] over input channels [{@code channel_start}, {@code channel_end}) (all of
 * them for grouped Conv), for {@code kind = "matmul"} [J, K', N'] over input features
 * [{@code row_start}, {@code row_end}). Output: {@code ps[p, j, ...y]} = Σ over the array's rows of
 * digit_p · slice_j, y being the layer's output shape ([B, N', H', W'] for conv with the Conv
 * attributes strides, pads, dilations, group, auto_pad; [..., M, N'] for matmul). Values are
 * exact integers (float32 holds them below 2^24; rounding removes any algorithmic error).
 */
final class CimArrayKernel implements Kernel {
    private final Node node;
    private final boolean conv;
    private final int group;
    private final long from;
    private final long to;
    private final Kernel convKernel;
    private INDArray cachedSlices;
    private INDArray cachedMatrix;

    CimArrayKernel(Node node, int opset) {
        this.node = node;
        String kind = node.attrString("kind", "");
        if (!kind.equals("conv") && !kind.equals("matmul")) {
            throw new KernelException(node.describe() + ": attribute kind must be 'conv' or 'matmul', got '" + kind + "'");
        }
        this.conv = kind.equals("conv");
        this.group = (int) node.attrInt("group", 1);
        this.from = node.attrInt(conv ? "channel_start" : "row_start", -1);
        this.to = node.attrInt(conv ? "channel_end" : "row_end", -1);
        this.convKernel = conv ? convolution(node) : null;
    }

    private static Kernel convolution(Node node) {
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
        INDArray planes = inputs[0];
        INDArray w = inputs[1];
        int slices = (int) w.size(0);
        INDArray ps = conv ? convolve(crop(planes, 2), w, slices) : multiply(crop(planes, planes.rank() - 1), w, slices);
        return new INDArray[] {CimArrays.rintInPlace(ps)};
    }

    /** The planes restricted to the array's input range along {@code axis} (whole when unset or grouped). */
    private INDArray crop(INDArray planes, int axis) {
        if (from < 0 || group != 1 || (from == 0 && to == planes.size(axis))) {
            return planes;
        }
        INDArrayIndex[] idx = new INDArrayIndex[planes.rank()];
        Arrays.fill(idx, NDArrayIndex.all());
        idx[axis] = NDArrayIndex.interval(from, to);
        return planes.get(idx).dup('c');
    }

    /** planes [P, B, C', spatial...] against slices [J, N', C'/g, k...] → [P, J, B, N', spatial'...]. */
    private INDArray convolve(INDArray planes, INDArray w, int slices) {
        long[] s = planes.shape();
        long[] merged = Arrays.copyOfRange(s, 1, s.length);
        merged[0] = s[0] * s[1];
        INDArray x = planes.reshape('c', merged);
        long n = w.size(1);
        INDArray y;
        if (group == 1) {
            if (w != cachedSlices) {
                long[] ws = w.shape();
                long[] stacked = Arrays.copyOfRange(ws, 1, ws.length);
                stacked[0] = ws[0] * ws[1];
                cachedMatrix = w.castTo(DataType.FLOAT).reshape('c', stacked).dup('c');
                cachedSlices = w;
            }
            y = convKernel.run(new INDArray[] {x, cachedMatrix})[0];
        } else {
            INDArray[] parts = new INDArray[slices];
            for (int j = 0; j < slices; j++) {
                parts[j] = convKernel.run(new INDArray[] {x, w.slice(j).castTo(DataType.FLOAT).dup('c')})[0];
            }
            y = org.nd4j.linalg.factory.Nd4j.concat(1, parts);
        }
        long[] split = new long[y.rank() + 2];
        split[0] = s[0];
        split[1] = s[1];
        split[2] = slices;
        split[3] = n;
        System.arraycopy(y.shape(), 2, split, 4, y.rank() - 2);
        int[] perm = new int[split.length];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        perm[1] = 2;
        perm[2] = 1;
        return y.reshape('c', split).permute(perm).dup('c');
    }

    /** planes [P, ..., K'] against slices [J, K', N'] → [P, J, ..., N']. */
    private INDArray multiply(INDArray planes, INDArray w, int slices) {
        long[] s = planes.shape();
        long k = s[s.length - 1];
        if (k != w.size(1)) {
            throw new KernelException(node.describe() + ": input has " + k + " features, the array's slices "
                    + Arrays.toString(w.shape()) + " expect " + w.size(1));
        }
        long n = w.size(2);
        if (w != cachedSlices) {
            cachedMatrix = w.castTo(DataType.FLOAT).permute(1, 0, 2).dup('c').reshape('c', k, slices * n);
            cachedSlices = w;
        }
        INDArray y = planes.reshape('c', planes.length() / k, k).mmul(cachedMatrix);
        long[] split = new long[s.length + 2];
        System.arraycopy(s, 0, split, 0, s.length - 1);
        split[s.length - 1] = slices;
        split[s.length] = n;
        // [P, ..., J, N'] → [P, J, ..., N']
        int[] perm = new int[s.length + 1];
        perm[0] = 0;
        perm[1] = s.length - 1;
        for (int i = 2; i < s.length; i++) {
            perm[i] = i - 1;
        }
        perm[s.length] = s.length;
        return y.reshape('c', Arrays.copyOf(split, s.length + 1)).permute(perm).dup('c');
    }
}
