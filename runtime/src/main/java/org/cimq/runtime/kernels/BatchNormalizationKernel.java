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
 * ONNX BatchNormalization (opsets 7, 9, 14, 15): y = scale * (x - mean) / sqrt(var + epsilon) + B
 * per channel (axis 1), folded into one multiply-add. In inference mode mean and var are the
 * inputs and the optional statistics outputs are not produced (null). With opset 14's
 * training_mode=1 they are the batch's own: the mean and the population variance (divided by the
 * element count) of x over every axis but 1, and the optional outputs 1 and 2 are the running
 * statistics {@code input * momentum + batch * (1 - momentum)} (momentum default 0.9), as ONNX's
 * reference implementation computes them. Opset 7's spatial=0 is rejected. From opset 15 the
 * parameters may have another float type than x.
 */
public final class BatchNormalizationKernel implements Kernel {
    private final Node node;
    private final double epsilon;
    private final boolean training;
    private final double momentum;

    public BatchNormalizationKernel(Node node, int opset) {
        this.node = node;
        this.epsilon = node.attrFloat("epsilon", 1e-5f);
        if (opset < 9 && node.attrInt("spatial", 1) != 1) {
            throw new UnsupportedOpException("BatchNormalization spatial=0", node.describe() + ": spatial=0 (per-activation statistics) is not supported, only spatial=1");
        }
        this.training = opset >= 14 && node.attrInt("training_mode", 0) != 0;
        this.momentum = node.attrFloat("momentum", 0.9f);
        if (opset < 14 && node.outputs().size() > 1) {
            throw new UnsupportedOpException("BatchNormalization opset " + opset + " statistics outputs", node.describe()
                    + ": the mean and variance outputs of opset " + opset + " (training) are not supported, only opset 14's training_mode=1");
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
        INDArray[] out = new INDArray[Math.max(1, node.outputs().size())];
        if (training) {
            if (x.length() == 0) {
                throw new KernelException(node.describe() + ": training_mode=1 needs a non-empty batch, got shape "
                        + Arrays.toString(x.shape()));
            }
            INDArray[] batch = batchStatistics(x);
            if (out.length > 1) {
                out[1] = running(mean, batch[0], inputs[3]);
            }
            if (out.length > 2) {
                out[2] = running(var, batch[1], inputs[4]);
            }
            mean = batch[0];
            var = batch[1];
        }
        INDArray mul = scale.div(Transforms.sqrt(var.add(epsilon), false));
        INDArray add = inputs[2].reshape(c).castTo(DataType.DOUBLE).sub(mean.mul(mul));
        DataType t = x.dataType();
        INDArray y = Nd4j.createUninitialized(t, x.shape(), 'c');
        if (y.length() > 0) {
            Nd4j.exec(new BroadcastMulOp(x, mul.castTo(t), y, 1));
            Nd4j.exec(new BroadcastAddOp(y, add.castTo(t), y, 1));
        }
        out[0] = y;
        return out;
    }

    /** Per-channel mean and population variance of x over every axis but 1, accumulated in double (two passes). */
    static INDArray[] batchStatistics(INDArray x) {
        int c = (int) x.size(1);
        int images = (int) x.size(0);
        int inner = (int) (x.length() / ((long) images * c));
        double[] v = x.dataType() == DataType.DOUBLE ? x.dup('c').data().asDouble() : null;
        float[] f = v == null ? org.cimq.runtime.NdArrays.toFloats(x.dataType() == DataType.FLOAT ? x : x.castTo(DataType.FLOAT)) : null;
        double[] mean = new double[c];
        double[] var = new double[c];
        long m = (long) images * inner;
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int n = 0; n < images; n++) {
                int base = (n * c + ch) * inner;
                for (int i = 0; i < inner; i++) {
                    sum += v != null ? v[base + i] : f[base + i];
                }
            }
            double mu = sum / m;
            double sq = 0;
            for (int n = 0; n < images; n++) {
                int base = (n * c + ch) * inner;
                for (int i = 0; i < inner; i++) {
                    double d = (v != null ? v[base + i] : f[base + i]) - mu;
                    sq += d * d;
                }
            }
            mean[ch] = mu;
            var[ch] = sq / m;
        }
        return new INDArray[] {Nd4j.create(mean, new long[] {c}, 'c'), Nd4j.create(var, new long[] {c}, 'c')};
    }

    /** input * momentum + batch * (1 - momentum), in the type and shape of the input statistic. */
    private INDArray running(INDArray input, INDArray batch, INDArray like) {
        return input.mul(momentum).addi(batch.mul(1 - momentum)).castTo(like.dataType()).reshape(like.shape());
    }
}
