package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.cimq.runtime.NdArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX Constant: its one value attribute as an array, built once. {@code value} (all opsets)
 * and, from opset 12, {@code value_float}, {@code value_floats}, {@code value_int},
 * {@code value_ints}; {@code sparse_value} and the string forms are not supported.
 */
final class ConstantKernel implements Kernel {
    private final INDArray value;

    ConstantKernel(Node node, int opset) {
        if (node.attributes().size() != 1) {
            throw new KernelException(node.describe() + ": exactly one value attribute is expected, got "
                    + node.attributes().keySet());
        }
        String key = node.attributes().keySet().iterator().next();
        this.value = NdArrays.fromTensor(switch (key) {
            case "value" -> node.attrTensor("value");
            case "value_float" -> Tensor.scalar(node.attrFloat(key, 0));
            case "value_floats" -> floats(node.attrFloats(key, null));
            case "value_int" -> Tensor.scalar(node.attrInt(key, 0));
            case "value_ints" -> {
                long[] v = node.attrInts(key, null);
                yield Tensor.ofLongs(new long[] {v.length}, v);
            }
            default -> throw new KernelException(node.describe() + ": attribute '" + key
                    + "' is not supported (supported: value, value_float, value_floats, value_int, value_ints)");
        });
    }

    private static Tensor floats(float[] v) {
        return Tensor.ofFloats(new long[] {v.length}, v);
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        return new INDArray[] {value};
    }
}
