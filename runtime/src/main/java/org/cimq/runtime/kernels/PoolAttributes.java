package org.cimq.runtime.kernels;

import java.util.Arrays;
import org.cimq.ir.Node;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The window attributes of MaxPool and AveragePool: kernel_shape (required, 1 to 3 axes) and {@link WindowGeometry}. */
final class PoolAttributes {
    final Node node;
    final long[] kernel;
    final long[] strides;
    final long[] dilations;
    final WindowGeometry geometry;

    PoolAttributes(Node node) {
        this.node = node;
        this.kernel = node.attrInts("kernel_shape", null);
        if (kernel == null || kernel.length < 1 || kernel.length > 3) {
            throw new KernelException(node.describe() + ": kernel_shape must be given for 1 to 3 spatial axes, got "
                    + Arrays.toString(kernel));
        }
        this.geometry = new WindowGeometry(node, true);
        geometry.checkRank(kernel.length);
        this.strides = new long[kernel.length];
        this.dilations = new long[kernel.length];
        for (int i = 0; i < kernel.length; i++) {
            strides[i] = geometry.stride(i);
            dilations[i] = geometry.dilation(i);
        }
    }

    /** Pads and output size for x, which must be [N, C, spatial...] with kernel_shape's rank. */
    WindowGeometry.Resolved resolve(INDArray x) {
        if (x.rank() != kernel.length + 2) {
            throw new KernelException(node.describe() + ": input of shape " + Arrays.toString(x.shape())
                    + " does not fit kernel_shape " + Arrays.toString(kernel));
        }
        return geometry.resolve(Arrays.copyOfRange(x.shape(), 2, x.rank()), kernel);
    }
}
