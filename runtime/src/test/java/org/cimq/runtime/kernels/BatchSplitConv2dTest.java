package org.cimq.runtime.kernels;

import static org.cimq.runtime.kernels.NnTestSupport.ints;
import static org.cimq.runtime.kernels.NnTestSupport.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.junit.jupiter.api.Test;

/**
 * The batch-split convolution against a naive loop (double accumulation, written here from the
 * definition) and against one whole-batch ND4J call, on random data: strides, pads, 1×1,
 * groups, depthwise, non-square inputs and kernels, batches that do not divide evenly into
 * chunks, more threads than images.
 */
class BatchSplitConv2dTest {
    private static final long[] ONE = {1, 1};

    private static void check(long seed, long[] xShape, long[] wShape, boolean bias, long[] s, long[] p, int group,
            int threads) {
        NaiveConv.Operands o = NaiveConv.operands(seed, xShape, wShape, bias);
        INDArray x = o.x();
        INDArray w = o.w();
        INDArray b = o.b();
        INDArray xBefore = x.dup();
        assertTrue(BatchSplitConv2d.applies(x, w, s, p, ONE, threads));
        INDArray split = BatchSplitConv2d.run(x, w, b, s, p, ONE, group, threads);
        INDArray whole = Conv2d.run(x, w, b, s, p, ONE, group);
        assertArrayEquals(whole.shape(), split.shape(), "shape");
        float[] got = split.dup('c').data().asFloat();
        assertArrayEquals(whole.dup('c').data().asFloat(), got, 1e-5f, "vs one whole-batch call");
        assertArrayEquals(NaiveConv.conv(x, w, b, s, p, ONE, group, split.shape()), got, 1e-4f, "vs the naive loop");
        assertEquals(xBefore, x, "input unchanged");
    }

    @Test
    void plainPaddedThreeByThreeOnAnUnevenBatch() {
        check(1, ints(7, 3, 9, 9), ints(5, 3, 3, 3), true, ONE, ints(1, 1), 1, 2);
    }

    @Test
    void stridedNonSquareInputAndKernelWithoutBias() {
        check(2, ints(5, 4, 11, 7), ints(6, 4, 3, 2), false, ints(2, 3), ints(1, 0), 1, 2);
    }

    @Test
    void oneByOne() {
        check(3, ints(4, 8, 6, 6), ints(16, 8, 1, 1), true, ONE, ints(0, 0), 1, 2);
    }

    @Test
    void groups() {
        check(4, ints(3, 6, 8, 8), ints(9, 2, 3, 3), true, ONE, ints(1, 1), 3, 2);
    }

    @Test
    void depthwiseWithMultiplierAndStride() {
        check(5, ints(6, 4, 10, 10), ints(8, 1, 3, 3), true, ints(2, 2), ints(1, 1), 4, 2);
    }

    @Test
    void moreThreadsThanImages() {
        check(6, ints(2, 3, 5, 5), ints(4, 3, 3, 3), true, ONE, ints(1, 1), 1, 5);
    }

    @Test
    void resnetSizedBatch() {
        check(7, ints(20, 16, 16, 16), ints(16, 16, 3, 3), true, ONE, ints(1, 1), 1, 2);
    }

    @Test
    void ruleKeepsSingleImagesDilationAndOneThreadOnTheWholeBatchPath() {
        INDArray w = Nd4j.ones(DataType.FLOAT, 2, 3, 3, 3);
        INDArray batch = Nd4j.ones(DataType.FLOAT, 4, 3, 8, 8);
        assertTrue(BatchSplitConv2d.applies(batch, w, ONE, ONE, ONE, 2));
        assertFalse(BatchSplitConv2d.applies(Nd4j.ones(DataType.FLOAT, 1, 3, 8, 8), w, ONE, ONE, ONE, 2), "one image");
        assertFalse(BatchSplitConv2d.applies(batch, w, ONE, ONE, ints(2, 1), 2), "dilation");
        assertFalse(BatchSplitConv2d.applies(batch, w, ONE, ONE, ONE, 1), "one thread");
        assertFalse(BatchSplitConv2d.applies(Nd4j.ones(DataType.FLOAT, 4, 3, 2, 2), w, ONE, ints(0, 0), ONE, 2),
                "empty output");
    }

    @Test
    void convKernelOnABatchMatchesTheNaiveLoopWithAsymmetricPads() {
        NaiveConv.Operands o = NaiveConv.operands(8, ints(6, 2, 7, 6), ints(3, 2, 3, 3), true);
        INDArray x = o.x();
        INDArray w = o.w();
        INDArray b = o.b();
        INDArray y = new ConvKernel(node("Conv", "pads", ints(0, 1, 2, 1), "strides", ints(2, 1)), 11)
                .run(new INDArray[] {x, w, b})[0];
        INDArray padded = Conv2d.zeroPad(x, ints(0, 1), ints(2, 1));
        assertArrayEquals(ints(6, 3, 4, 6), y.shape());
        assertArrayEquals(NaiveConv.conv(padded, w, b, ints(2, 1), ints(0, 0), ONE, 1, y.shape()), y.dup('c').data().asFloat(), 1e-4f);
    }
}
