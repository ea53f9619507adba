package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.cimq.runtime.UnsupportedOpException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX Dropout in inference mode: the output is the input; the optional mask is all ones of
 * the input's type (opset 7-9) or all true BOOL (opset 10+). From opset 12, ratio and
 * training_mode are optional inputs; training_mode true is rejected.
 */
final class DropoutKernel implements Kernel {
    private final Node node;
    private final int opset;
    private final boolean wantsMask;

    DropoutKernel(Node node, int opset) {
        this.node = node;
        this.opset = opset;
        this.wantsMask = node.outputs().size() > 1 && node.output(1) != null;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray x = inputs[0];
        INDArray training = opset >= 12 && inputs.length > 2 ? inputs[2] : null;
        if (training != null && training.getDouble(0) != 0) {
            throw new UnsupportedOpException("Dropout training_mode=1",
                    node.describe() + ": training_mode=true is not supported (inference only)");
        }
        if (!wantsMask) {
            return new INDArray[] {x};
        }
        INDArray mask = opset >= 10 ? Nd4j.ones(DataType.BOOL, x.shape()) : Nd4j.ones(x.dataType(), x.shape());
        return new INDArray[] {x, mask};
    }
}
