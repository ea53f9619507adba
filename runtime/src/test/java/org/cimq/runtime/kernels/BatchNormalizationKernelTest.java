package org.cimq.runtime.kernels;

import static org.cimq.runtime.kernels.NnTestSupport.assertValues;
import static org.cimq.runtime.kernels.NnTestSupport.ints;
import static org.cimq.runtime.kernels.NnTestSupport.node;
import static org.cimq.runtime.kernels.NnTestSupport.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cimq.ir.Node;
import org.cimq.runtime.KernelException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BatchNormalizationKernelTest {
    private static final INDArray SCALE = Nd4j.create(new float[] {1, 1.5f, 2});
    private static final INDArray BIAS = Nd4j.create(new float[] {0, 1, -1});
    private static final INDArray MEAN = Nd4j.create(new float[] {0, 0.5f, -1});
    private static final INDArray VAR = Nd4j.create(new float[] {1, 0.25f, 3});

    private static INDArray bn(Node n, int opset, INDArray x) {
        return new BatchNormalizationKernel(n, opset).run(new INDArray[] {x, SCALE, BIAS, MEAN, VAR})[0];
    }

    @Test
    void defaultEpsilon() {
        assertValues(bn(node("BatchNormalization"), 15, pattern(7, -3, 2, 3, 2, 2)), ints(2, 3, 2, 2),
                -2.9999849796295166f, -1.9999899864196777f, -0.9999949932098389f, 0.0f, 2.499969959259033f, 5.4999098777771f,
                8.499850273132324f, -9.49979019165039f, -2.154698610305786f, -1.0f, 0.15469861030578613f, 1.3093972206115723f,
                1.9999899864196777f, 2.9999849796295166f, -2.9999849796295166f, -1.9999899864196777f, -3.4999101161956787f,
                -0.4999699890613556f, 2.499969959259033f, 5.4999098777771f, 3.6187944412231445f, -3.3093972206115723f,
                -2.154698610305786f, -1.0f);
    }

    @Test
    void epsilonAndRankTwo() {
        Node n = node("BatchNormalization", "epsilon", 0.5f);
        assertValues(bn(n, 9, pattern(7, -3, 2, 3, 2, 2)), ints(2, 3, 2, 2),
                -2.4494898319244385f, -1.632993221282959f, -0.8164966106414795f, 0.0f, 1.866025447845459f, 3.598076105117798f,
                5.330127239227295f, -5.062177658081055f, -2.069045066833496f, -1.0f, 0.06904496997594833f, 1.138089895248413f,
                1.632993221282959f, 2.4494898319244385f, -2.4494898319244385f, -1.632993221282959f, -1.5980762243270874f,
                0.1339745968580246f, 1.866025447845459f, 3.598076105117798f, 3.276179790496826f, -3.138089895248413f,
                -2.069045066833496f, -1.0f);
        assertValues(bn(n, 7, pattern(7, -3, 2, 3)), ints(2, 3),
                -2.4494898319244385f, -3.330127000808716f, -1.0f, 0.0f, 1.866025447845459f, 2.207134962081909f);
    }

    @Test
    void doubleInputKeepsItsType() {
        INDArray y = bn(node("BatchNormalization"), 15, pattern(7, -3, 1, 3, 1, 1).castTo(DataType.DOUBLE));
        assertEquals(DataType.DOUBLE, y.dataType());
        assertValues(y, ints(1, 3, 1, 1), -2.9999849796295166f, -6.499849796295166f, -1.0f);
    }

    @Test
    void rejectsNonSpatial() {
        assertThrows(KernelException.class, () -> new BatchNormalizationKernel(node("BatchNormalization", "spatial", 0), 7));
    }

    /**
     * training_mode=1 normalises with the batch's own statistics, ignoring the mean and var inputs: channel 0 holds
     * {1, 3, 5, 7} (mean 4, population variance 5), channel 1 {0, 0, 4, 4} (mean 2, variance 4); epsilon 0.
     */
    @Test
    void trainingModeUsesTheBatchStatistics() {
        INDArray x = Nd4j.create(new float[] {1, 3, 0, 0, 5, 7, 4, 4}, new long[] {2, 2, 1, 2}, 'c');
        INDArray scale = Nd4j.create(new float[] {2, 0.5f});
        INDArray shift = Nd4j.create(new float[] {1, -1});
        INDArray ignored = Nd4j.create(new float[] {100, -100});
        Node n = node("BatchNormalization", "training_mode", 1, "epsilon", 0f);
        INDArray y = new BatchNormalizationKernel(n, 15).run(new INDArray[] {x, scale, shift, ignored, ignored.mul(-1)})[0];
        double s5 = Math.sqrt(5);
        assertValues(y, ints(2, 2, 1, 2), (float) (2 * -3 / s5 + 1), (float) (2 * -1 / s5 + 1), -1.5f, -1.5f,
                (float) (2 * 1 / s5 + 1), (float) (2 * 3 / s5 + 1), -0.5f, -0.5f);
        // opset 9 has no training mode: the attribute is not read there (inputs used as given)
        Node opset9 = node("BatchNormalization", "epsilon", 0f);
        INDArray inference = new BatchNormalizationKernel(opset9, 9).run(new INDArray[] {x, scale, shift,
            Nd4j.create(new float[] {4, 2}), Nd4j.create(new float[] {5, 4})})[0];
        assertValues(inference, ints(2, 2, 1, 2), y.data().asFloat());
    }
}
