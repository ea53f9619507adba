package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX Sum (opset 6+): Element-wise sum of one or more inputs. Broadcasts multidirectionally
 * (opset 8+; opset 6-7 required equal shapes, which broadcasting also accepts).
 */
final class SumKernel implements Kernel {
    private final Node node;

    SumKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        return new INDArray[] {BinaryOp.ADD.fold(node, inputs)};
    }
}
