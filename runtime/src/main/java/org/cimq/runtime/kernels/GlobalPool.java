package org.cimq.runtime.kernels;

import java.util.Arrays;
import org.cimq.ir.Node;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Mean or maximum of [N, C, spatial...] over the spatial axes with ND4J's reductions, keeping them as size-1 axes. */
final class GlobalPool {
    private GlobalPool() {
    }

    static INDArray reduce(Node node, INDArray x, boolean max) {
        if (x.rank() < 2) {
            throw new KernelException(node.describe() + ": input must be [N, C, ...], got " + Arrays.toString(x.shape()));
        }
        if (x.rank() == 2) {
            return x.dup('c');
        }
        int[] axes = new int[x.rank() - 2];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 2;
        }
        INDArray y = max ? x.max(true, axes) : x.mean(true, axes);
        long[] shape = x.shape();
        Arrays.fill(shape, 2, shape.length, 1);
        return y.reshape('c', shape).dup('c');
    }
}
