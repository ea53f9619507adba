package org.cimq.runtime.kernels;

import java.util.Arrays;
import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX Reshape (opset 5+: target shape as an INT64 input). A 0 copies the input's dimension
 * at that position, unless {@code allowzero} = 1 (opset 14+) where it means an empty
 * dimension; one -1 is inferred from the element count.
 */
final class ReshapeKernel implements Kernel {
    private final Node node;
    private final boolean allowZero;

    ReshapeKernel(Node node, int opset) {
        this.node = node;
        this.allowZero = opset >= 14 && node.attrInt("allowzero", 0) != 0;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray x = inputs[0];
        return new INDArray[] {Layouts.reshape(x, target(x.shape(), IndexArrays.toLongs(inputs[1])))};
    }

    private long[] target(long[] in, long[] shape) {
        long[] out = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == 0 && !allowZero) {
                if (i >= in.length) {
                    throw fail(in, shape, "a 0 at position " + i + " has no input dimension to copy");
                }
                out[i] = in[i];
            }
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw fail(in, shape, "more than one -1");
                }
                infer = i;
            } else if (out[i] < 0) {
                throw fail(in, shape, "negative dimension " + out[i]);
            } else {
                known *= out[i];
            }
        }
        long total = IndexArrays.product(in, 0, in.length);
        if (infer >= 0) {
            if (known == 0 || total % known != 0) {
                throw fail(in, shape, "the -1 cannot be inferred");
            }
            out[infer] = total / known;
        } else if (known != total) {
            throw fail(in, shape, "element counts differ");
        }
        return out;
    }

    private KernelException fail(long[] in, long[] shape, String why) {
        return new KernelException(node.describe() + ": cannot reshape " + Arrays.toString(in) + " to "
                + Arrays.toString(shape) + ": " + why);
    }
}
