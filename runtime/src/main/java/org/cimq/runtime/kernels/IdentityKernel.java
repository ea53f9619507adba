package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ONNX Identity (opset 1+) on tensors: returns its input array itself (sequences and optionals unsupported). */
final class IdentityKernel implements Kernel {
    private final Node node;

    IdentityKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        if (inputs.length == 0 || inputs[0] == null) {
            throw new KernelException(node.describe() + ": input is absent");
        }
        return new INDArray[] {inputs[0]};
    }
}
