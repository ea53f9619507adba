package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.cimq.runtime.NdArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Rint;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX QuantizeLinear: y = saturate(round_half_even(x / scale) + zero_point) as uint8 or
 * int8 (the zero point's type; uint8 when absent, or {@code output_dtype} from opset 21).
 * Per-tensor, or per-axis from opset 13 ({@code axis}, default 1). Blocked quantization
 * (opset 21 {@code block_size}) and float8/int4/16-bit outputs are not supported.
 */
final class QuantizeLinearKernel implements Kernel {
    private final Node node;
    private final Quantization q;
    private final DataType defaultType;

    QuantizeLinearKernel(Node node, int opset) {
        this.node = node;
        this.q = new Quantization(node, opset);
        long code = opset >= 21 ? node.attrInt("output_dtype", 0) : 0;
        this.defaultType = code == 0 ? DataType.UBYTE : Quantization.quantizedType(node, code);
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray zp = inputs.length > 2 ? inputs[2] : null;
        DataType type = zp == null ? defaultType : zp.dataType();
        if (type != DataType.UBYTE && type != DataType.BYTE) {
            Quantization.quantizedType(node, NdArrays.fromNd4j(type).onnxCode());
        }
        if (zp != null && inputs[1].length() != zp.length()) {
            throw new KernelException(node.describe() + ": scale and zero point sizes differ");
        }
        INDArray x = inputs[0].dataType() == DataType.FLOAT ? inputs[0] : inputs[0].castTo(DataType.FLOAT);
        INDArray y = Nd4j.exec(new Rint(q.combine(x, inputs[1], '/')));
        if (!Quantization.isZero(zp)) {
            y = q.combine(y, zp, '+');
        }
        double lo = type == DataType.UBYTE ? 0 : -128;
        double hi = type == DataType.UBYTE ? 255 : 127;
        y = org.nd4j.linalg.ops.transforms.Transforms.min(org.nd4j.linalg.ops.transforms.Transforms.max(y, lo, false), hi, false);
        return new INDArray[] {y.castTo(type)};
    }
}
