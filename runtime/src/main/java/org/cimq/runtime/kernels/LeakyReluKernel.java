package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;

/** ONNX LeakyRelu (opset 6+): x for x &ge; 0, alpha * x otherwise (alpha defaults to 0.01). */
final class LeakyReluKernel implements Kernel {
    private final Node node;
    private final double alpha;

    LeakyReluKernel(Node node, int opset) {
        this.node = node;
        this.alpha = node.attrFloat("alpha", 0.01f);
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        return new INDArray[] {FloatOps.map(FloatOps.requireFloat(node, inputs[0]), (x, z) -> new LeakyReLU(x, z, alpha))};
    }
}
