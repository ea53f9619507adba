package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;

/**
 * The scale/zero-point arithmetic shared by QuantizeLinear and DequantizeLinear: per-tensor
 * (scalar or one-element parameters) or per-axis (1-D parameters along {@code axis}).
 */
final class Quantization {
    private final Node node;
    private final long axis;

    Quantization(Node node, int opset) {
        this.node = node;
        this.axis = opset >= 13 ? node.attrInt("axis", 1) : 1;
        if (node.attrInt("block_size", 0) != 0) {
            throw new KernelException(node.describe() + ": block_size " + node.attrInt("block_size", 0)
                    + " (blocked quantization) is not supported; only per-tensor and per-axis (block_size 0)");
        }
    }

    /** {@code x op p}, with {@code p} broadcast along the axis when it is a vector of several elements. */
    INDArray combine(INDArray x, INDArray p, char op) {
        if (p.length() == 1) {
            double v = p.getDouble(0);
            return switch (op) {
                case '/' -> x.div(v);
                case '*' -> x.mul(v);
                case '+' -> x.add(v);
                default -> x.sub(v);
            };
        }
        int a = Axes.normalize(axis, x.rank(), node, "axis");
        if (p.rank() != 1 || p.length() != x.size(a)) {
            throw new KernelException(node.describe() + ": per-axis parameters of shape " + java.util.Arrays.toString(p.shape())
                    + " do not match axis " + a + " of input shape " + java.util.Arrays.toString(x.shape()));
        }
        INDArray q = p.dataType() == x.dataType() ? p : p.castTo(x.dataType());
        INDArray out = x.ulike();
        return switch (op) {
            case '/' -> Broadcast.div(x, q, out, a);
            case '*' -> Broadcast.mul(x, q, out, a);
            case '+' -> Broadcast.add(x, q, out, a);
            default -> Broadcast.sub(x, q, out, a);
        };
    }

    static boolean isZero(INDArray zp) {
        return zp == null || zp.length() == 0 || zp.length() == 1 && zp.getDouble(0) == 0;
    }

    /** The quantized types supported, as ND4J types; throws for any other ONNX code. */
    static DataType quantizedType(Node node, long onnxCode) {
        if (onnxCode == 2) {
            return DataType.UBYTE;
        }
        if (onnxCode == 3) {
            return DataType.BYTE;
        }
        throw new KernelException(node.describe() + ": quantized element type " + onnxCode
                + " is not supported (supported: uint8 (2), int8 (3))");
    }
}
