package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX DequantizeLinear: y = (x - zero_point) * scale for uint8, int8 or int32 x (zero
 * point optional, default 0), in the scale's type. Per-tensor, or per-axis from opset 13
 * ({@code axis}, default 1). Blocked quantization (opset 21 {@code block_size}) is not supported.
 */
final class DequantizeLinearKernel implements Kernel {
    private final Node node;
    private final Quantization q;

    DequantizeLinearKernel(Node node, int opset) {
        this.node = node;
        this.q = new Quantization(node, opset);
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray x = inputs[0];
        DataType in = x.dataType();
        if (in != DataType.UBYTE && in != DataType.BYTE && in != DataType.INT) {
            throw new KernelException(node.describe() + ": input type " + in + " is not supported (supported: uint8, int8, int32)");
        }
        INDArray scale = inputs[1];
        INDArray zp = inputs.length > 2 ? inputs[2] : null;
        DataType work = in == DataType.INT ? DataType.DOUBLE : scale.dataType();
        INDArray y = x.castTo(work);
        if (!Quantization.isZero(zp)) {
            y = q.combine(y, zp, '-');
        }
        y = q.combine(y, scale, '*');
        return new INDArray[] {y.dataType() == scale.dataType() ? y : y.castTo(scale.dataType())};
    }
}
