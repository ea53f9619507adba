package org.cimq.runtime.kernels;

import java.util.Arrays;
import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.UnsupportedOpException;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastAddOp;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * ONNX BatchNormalization in inference mode (opsets 7, 9, 14, 15): y = scale * (x - mean) /
 * sqrt(var + epsilon) + B per channel (axis 1), folded into one multiply-add. Opset 7's
 * spatial=0 and opset 14's training_mode=1 are rejected; the optional statistics outputs are
 * not produced (null). From opset 15 the parameters may have another float type than x.
 */
public final class BatchNormalizationKernel implements Kernel {
    private final Node node;
    private final double epsilon;

    public BatchNormalizationKernel(Node node, int opset) {
        this.node = node;
        this.epsilon = node.attrFloat("epsilon", 1e-5f);
        if (opset < 9 && node.attrInt("spatial", 1) != 1) {
            throw new UnsupportedOpException("BatchNormalization spatial=0", node.describe() + ": spatial=0 (per-activation statistics) is not supported, only spatial=1");
        }
        if (node.attrInt("training_mode", 0) != 0) {
            throw new UnsupportedOpException("BatchNormalization training_mode=1", node.describe() + ": training_mode=1 is not supported, only inference (training_mode=0)");
        }
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray x = inputs[0];
        if (x.rank() < 2) {
            throw new KernelException(node.describe() + ": input must have rank >= 2, got " + Arrays.toString(x.shape()));
        }
        long c = x.size(1);
        for (int i = 1; i <= 4; i++) {
            if (inputs[i].length() != c) {
                throw new KernelException(node.describe() + ": input " + i + " has shape " + Arrays.toString(inputs[i].shape())
                        + ", expected " + c + " values (one per channel)");
            }
        }
        INDArray scale = inputs[1].reshape(c).castTo(DataType.DOUBLE);
        INDArray mean = inputs[3].reshape(c).castTo(DataType.DOUBLE);
        INDArray var = inputs[4].reshape(c).castTo(DataType.DOUBLE);
        INDArray mul = scale.div(Transforms.sqrt(var.add(epsilon), false));
        INDArray add = inputs[2].reshape(c).castTo(DataType.DOUBLE).sub(mean.mul(mul));
        DataType t = x.dataType();
        INDArray y = Nd4j.createUninitialized(t, x.shape(), 'c');
        if (y.length() > 0) {
            Nd4j.exec(new BroadcastMulOp(x, mul.castTo(t), y, 1));
            Nd4j.exec(new BroadcastAddOp(y, add.castTo(t), y, 1));
        }
        INDArray[] out = new INDArray[Math.max(1, node.outputs().size())];
        out[0] = y;
        return out;
    }
}
