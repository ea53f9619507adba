package org.cimq.runtime.kernels;

import java.util.Arrays;
import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ONNX Expand: broadcasts the input against the INT64 {@code shape} input (numpy rules, both ways). Same in all opsets. */
final class ExpandKernel implements Kernel {
    private final Node node;

    ExpandKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray x = inputs[0];
        long[] xs = x.shape();
        long[] target = IndexArrays.toLongs(inputs[1]);
        int r = Math.max(xs.length, target.length);
        long[] aligned = new long[r];
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long a = i < r - xs.length ? 1 : xs[i - (r - xs.length)];
            long b = i < r - target.length ? 1 : target[i - (r - target.length)];
            if (a != b && a != 1 && b != 1) {
                throw new KernelException(node.describe() + ": cannot broadcast " + Arrays.toString(xs) + " to "
                        + Arrays.toString(target));
            }
            aligned[i] = a;
            out[i] = a == 1 ? b : a;
        }
        if (IndexArrays.product(out, 0, r) == 0) {
            return new INDArray[] {Nd4j.create(x.dataType(), out)};
        }
        INDArray xr = Layouts.reshape(x, aligned);
        if (Arrays.equals(aligned, out)) {
            return new INDArray[] {Layouts.contiguous(xr)};
        }
        return new INDArray[] {Layouts.contiguous(xr.broadcast(out))};
    }
}
