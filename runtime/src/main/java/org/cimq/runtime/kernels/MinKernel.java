package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX Min (opset 6+): Element-wise minimum of one or more inputs. Broadcasts multidirectionally
 * (opset 8+; opset 6-7 required equal shapes, which broadcasting also accepts).
 */
final class MinKernel implements Kernel {
    private final Node node;

    MinKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        if (inputs.length == 0 || inputs[0] == null) {
            throw new KernelException(node.describe() + ": needs at least one input");
        }
        INDArray acc = inputs[0];
        for (int i = 1; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new KernelException(node.describe() + ": input " + i + " is absent");
            }
            acc = BinaryOp.MIN.apply(node, acc, inputs[i]);
        }
        return new INDArray[] {acc};
    }
}
