package org.cimq.runtime.kernels;

import org.cimq.ir.DType;
import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.cimq.runtime.NdArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX Cast to the element type {@code to} (a TensorProto.DataType code). Floats become
 * integers by truncation toward zero; any non-zero value becomes true. {@code saturate}
 * (opset 19) only concerns float8 types, which are not supported, nor are strings.
 */
final class CastKernel implements Kernel {
    private final DataType to;

    CastKernel(Node node, int opset) {
        if (!node.hasAttr("to")) {
            throw new KernelException(node.describe() + ": the 'to' attribute is required");
        }
        long code = node.attrInt("to", 0);
        try {
            this.to = NdArrays.toNd4j(DType.fromOnnx((int) code));
        } catch (IllegalArgumentException | KernelException e) {
            throw new KernelException(node.describe() + ": cannot cast to element type " + code
                    + " (supported: numeric types and bool, no strings or float8)", e);
        }
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray x = inputs[0];
        if (x.dataType() == to) {
            return new INDArray[] {Layouts.contiguous(x)};
        }
        return new INDArray[] {Layouts.contiguous(x.castTo(to))};
    }
}
