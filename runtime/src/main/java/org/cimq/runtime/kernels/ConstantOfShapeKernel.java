package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.cimq.runtime.NdArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX ConstantOfShape: an array of the shape given by the INT64 input (empty: a scalar)
 * filled with the one-element {@code value} tensor attribute (default float 0).
 */
final class ConstantOfShapeKernel implements Kernel {
    private final INDArray value;

    ConstantOfShapeKernel(Node node, int opset) {
        Tensor t = node.attrTensor("value");
        if (t != null && t.numel() != 1) {
            throw new KernelException(node.describe() + ": 'value' must hold exactly one element, got " + t);
        }
        this.value = t == null ? Nd4j.scalar(DataType.FLOAT, 0) : NdArrays.fromTensor(t.reshape());
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        long[] shape = IndexArrays.toLongs(inputs[0]);
        if (shape.length == 0) {
            return new INDArray[] {value.dup()};
        }
        INDArray out = Nd4j.create(value.dataType(), shape);
        if (out.length() > 0) {
            out.assign(value.dataType().isFPType() ? (Number) value.getDouble(0) : (Number) value.getLong(0));
        }
        return new INDArray[] {out};
    }
}
