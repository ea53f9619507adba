package org.cimq.runtime.kernels;

import java.util.Arrays;
import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ONNX Split along {@code axis} (default 0, negative from opset 11) into one part per node
 * output. Part sizes come from the {@code split} attribute before opset 13 and the optional
 * {@code split} input from 13; without them the axis is split evenly, except that with
 * {@code num_outputs} (opset 18) parts have size ceil(dim / n) and the last one takes the rest.
 */
final class SplitKernel implements Kernel {
    private final Node node;
    private final long axis;
    private final long[] splitAttr;
    private final int outputs;
    private final boolean uneven;

    SplitKernel(Node node, int opset) {
        this.node = node;
        this.axis = node.attrInt("axis", 0);
        this.splitAttr = opset < 13 ? node.attrInts("split", null) : null;
        this.outputs = node.outputs().size();
        this.uneven = opset >= 18 && node.hasAttr("num_outputs");
        if (uneven && node.attrInt("num_outputs", 0) != outputs) {
            throw new KernelException(node.describe() + ": num_outputs is " + node.attrInt("num_outputs", 0)
                    + " but the node has " + outputs + " outputs");
        }
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray x = inputs[0];
        long[] shape = x.shape();
        int a = Axes.normalize(axis, shape.length, node, "axis");
        long[] sizes = sizes(inputs, shape[a]);
        INDArray[] out = new INDArray[sizes.length];
        INDArrayIndex[] idx = new INDArrayIndex[shape.length];
        Arrays.fill(idx, NDArrayIndex.all());
        long at = 0;
        for (int i = 0; i < sizes.length; i++) {
            long[] s = shape.clone();
            s[a] = sizes[i];
            if (IndexArrays.product(s, 0, s.length) == 0) {
                out[i] = Nd4j.create(x.dataType(), s);
            } else {
                idx[a] = NDArrayIndex.interval(at, at + sizes[i]);
                out[i] = x.get(idx).dup('c');
            }
            at += sizes[i];
        }
        return out;
    }

    private long[] sizes(INDArray[] inputs, long dim) {
        long[] sizes = splitAttr != null ? splitAttr
                : inputs.length > 1 && inputs[1] != null ? IndexArrays.toLongs(inputs[1]) : null;
        if (sizes == null) {
            int n = Math.max(outputs, 1);
            long chunk = uneven ? (dim + n - 1) / n : dim / n;
            if (!uneven && dim % n != 0) {
                throw new KernelException(node.describe() + ": axis of size " + dim + " cannot be split evenly into " + n + " parts");
            }
            sizes = new long[n];
            Arrays.fill(sizes, chunk);
            sizes[n - 1] = dim - chunk * (n - 1);
        }
        long sum = 0;
        for (long s : sizes) {
            if (s < 0) {
                throw new KernelException(node.describe() + ": negative part size in " + Arrays.toString(sizes));
            }
            sum += s;
        }
        if (sum != dim) {
            throw new KernelException(node.describe() + ": part sizes " + Arrays.toString(sizes) + " do not add up to " + dim);
        }
        return sizes;
    }
}
