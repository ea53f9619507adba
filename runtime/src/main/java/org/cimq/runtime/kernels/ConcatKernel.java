package org.cimq.runtime.kernels;

import java.util.ArrayList;
import java.util.List;
import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ONNX Concat along the required {@code axis} (negative from opset 11); empty inputs are allowed. */
final class ConcatKernel implements Kernel {
    private final Node node;
    private final long axis;

    ConcatKernel(Node node, int opset) {
        this.node = node;
        if (!node.hasAttr("axis")) {
            throw new KernelException(node.describe() + ": the 'axis' attribute is required");
        }
        this.axis = node.attrInt("axis", 0);
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        int r = inputs[0].rank();
        int a = Axes.normalize(axis, r, node, "axis");
        long[] shape = inputs[0].shape().clone();
        shape[a] = 0;
        List<INDArray> parts = new ArrayList<>();
        for (INDArray x : inputs) {
            long[] s = x.shape();
            for (int d = 0; d < r; d++) {
                if (s.length != r || d != a && s[d] != shape[d]) {
                    throw new KernelException(node.describe() + ": inputs of shapes " + java.util.Arrays.toString(inputs[0].shape())
                            + " and " + java.util.Arrays.toString(s) + " cannot be concatenated along axis " + a);
                }
            }
            shape[a] += s[a];
            if (x.length() > 0) {
                parts.add(x);
            }
        }
        if (parts.isEmpty()) {
            return new INDArray[] {Nd4j.create(inputs[0].dataType(), shape)};
        }
        if (parts.size() == 1) {
            return new INDArray[] {Layouts.contiguous(parts.get(0))};
        }
        return new INDArray[] {Nd4j.concat(a, parts.toArray(INDArray[]::new))};
    }
}
