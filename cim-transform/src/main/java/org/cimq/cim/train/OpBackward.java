package org.cimq.cim.train;

import java.util.Arrays;
import org.cimq.ir.Node;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Reverse-mode gradients of the parameter-free ops {@link FloatOps} supports, as eager ND4J
 * operations: given dL/dy of a node's output and the forward values, dL/dx of each input (null
 * for constant inputs). The same derivatives SameDiff takes of those ops (Relu: 1 where the
 * output is positive; pooling through ND4J's own maxpool2d_bp/avgpool2d_bp), and of the training-mode
 * BatchNormalization of {@link BatchNormTraining} ({@link BatchStatistics#backward}: x, scale and shift).
 */
final class OpBackward {
    private OpBackward() {
    }

    /**
     * @param in  the forward values of the inputs (constants included), by position
     * @param out the forward value of the output
     */
    static INDArray[] inputs(Node n, INDArray dy, INDArray[] in, INDArray out) {
        INDArray[] g = new INDArray[in.length];
        switch (n.opType()) {
            case "Relu" -> g[0] = relu(dy, out);
            case "Add" -> {
                g[0] = reduceTo(dy, in[0].shape());
                g[1] = reduceTo(dy, in[1].shape());
            }
            case "Sub" -> {
                g[0] = reduceTo(dy, in[0].shape());
                g[1] = reduceTo(dy.neg(), in[1].shape());
            }
            case "Mul" -> {
                g[0] = reduceTo(dy.mul(in[1]), in[0].shape());
                g[1] = reduceTo(dy.mul(in[0]), in[1].shape());
            }
            case "Div" -> {
                g[0] = reduceTo(dy.div(in[1]), in[0].shape());
                g[1] = reduceTo(dy.mul(in[0]).div(in[1].mul(in[1])).negi(), in[1].shape());
            }
            case "MaxPool" -> g[0] = pool("maxpool2d_bp", n, in[0], dy, Pooling2D.Pooling2DType.MAX);
            case "AveragePool" -> g[0] = pool("avgpool2d_bp", n, in[0], dy, Pooling2D.Pooling2DType.AVG);
            case "GlobalAveragePool" -> {
                long[] s = in[0].shape();
                g[0] = dy.div((double) (s[2] * s[3])).broadcast(s.clone());
            }
            case "Flatten", "Reshape" -> g[0] = dy.dup('c').reshape('c', in[0].shape().clone());
            case "Identity", "Dropout" -> g[0] = dy;
            case "Slice" -> g[0] = slice(n, in[0], dy);
            case "Pad" -> g[0] = pad(n, in[0], dy);
            case "BatchNormalization" -> {
                if (!BatchNormTraining.isTrainingBatchNorm(n)) {
                    throw new TrainingException(n.describe() + ": an inference BatchNormalization has no gradient here (fold it)");
                }
                INDArray[] r = BatchStatistics.backward(n, in[0], in[1], dy);
                System.arraycopy(r, 0, g, 0, 3);
            }
            default -> throw new TrainingException(n.describe() + ": op " + n.opType() + " has no gradient in the fake-quant engine");
        }
        return g;
    }

    /** dy where the output is positive, else 0. */
    private static INDArray relu(INDArray dy, INDArray out) {
        float[] g = FloatArrays.of(dy);
        float[] y = FloatArrays.of(out);
        float[] dx = new float[g.length];
        ParallelLoops.forRange(dx.length, (from, to) -> {
            for (int i = from; i < to; i++) {
                dx[i] = y[i] > 0f ? g[i] : 0f;
            }
        });
        return FloatArrays.array(dx, dy.shape());
    }

    /** g summed over the axes a broadcast to g's shape added or stretched, shaped {@code shape}. */
    static INDArray reduceTo(INDArray g, long[] shape) {
        long[] gs = g.shape();
        if (Arrays.equals(gs, shape)) {
            return g;
        }
        int extra = gs.length - shape.length;
        int[] axes = new int[gs.length];
        int count = 0;
        for (int d = 0; d < gs.length; d++) {
            if (d < extra || (shape[d - extra] == 1 && gs[d] != 1)) {
                axes[count++] = d;
            }
        }
        INDArray summed = count == 0 ? g : g.sum(true, Arrays.copyOf(axes, count));
        return summed.dup('c').reshape('c', shape.clone());
    }

    private static INDArray pool(String op, Node n, INDArray x, INDArray dy, Pooling2D.Pooling2DType type) {
        Pooling2DConfig c = FloatOps.pool(n, type);
        int extra = type == Pooling2D.Pooling2DType.AVG ? c.getDivisor().ordinal() : 0;
        DynamicCustomOp bp = DynamicCustomOp.builder(op).addInputs(x, dy)
                .addIntegerArguments((int) c.getKH(), (int) c.getKW(), (int) c.getSH(), (int) c.getSW(), (int) c.getPH(), (int) c.getPW(),
                        (int) c.getDH(), (int) c.getDW(), 0, extra, 0)
                .build();
        return Nd4j.exec(bp)[0];
    }

    private static INDArray slice(Node n, INDArray x, INDArray dy) {
        ShapeOps.SliceSpec s = ShapeOps.sliceSpec(n);
        INDArray dx = Nd4j.zeros(dy.dataType(), x.shape().clone());
        INDArrayIndex[] at = new INDArrayIndex[x.rank()];
        for (int d = 0; d < at.length; d++) {
            at[d] = (s.whole() & (1 << d)) != 0 ? NDArrayIndex.all() : NDArrayIndex.interval(s.begin()[d], s.stride()[d], s.end()[d]);
        }
        dx.put(at, dy);
        return dx;
    }

    private static INDArray pad(Node n, INDArray x, INDArray dy) {
        int[][] p = ShapeOps.padAmounts(n);
        INDArrayIndex[] at = new INDArrayIndex[x.rank()];
        for (int d = 0; d < at.length; d++) {
            at[d] = NDArrayIndex.interval(p[d][0], p[d][0] + x.size(d));
        }
        return dy.get(at).dup('c');
    }
}
