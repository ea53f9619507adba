package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** ONNX HardSigmoid (opset 6+): max(0, min(1, alpha * x + beta)), alpha 0.2 and beta 0.5 by default. */
final class HardSigmoidKernel implements Kernel {
    private final Node node;
    private final double alpha;
    private final double beta;

    HardSigmoidKernel(Node node, int opset) {
        this.node = node;
        this.alpha = node.attrFloat("alpha", 0.2f);
        this.beta = node.attrFloat("beta", 0.5f);
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        return new INDArray[] {of(FloatOps.requireFloat(node, inputs[0]), alpha, beta)};
    }

    /** A new array holding max(0, min(1, alpha * x + beta)). */
    static INDArray of(INDArray x, double alpha, double beta) {
        if (x.isEmpty()) {
            return x.dup();
        }
        INDArray z = x.mul(alpha).addi(beta);
        Transforms.max(z, 0.0, false);
        return Transforms.min(z, 1.0, false);
    }
}
