package org.cimq.runtime.kernels;

import static org.cimq.runtime.kernels.NnTestSupport.assertValues;
import static org.cimq.runtime.kernels.NnTestSupport.ints;
import static org.cimq.runtime.kernels.NnTestSupport.node;
import static org.cimq.runtime.kernels.NnTestSupport.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.cimq.runtime.KernelException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PoolKernelsTest {
    private static final INDArray X = pattern(11, -5, 1, 2, 5, 5);

    private static INDArray max(Node n, INDArray x) {
        return new MaxPoolKernel(n, 12).run(new INDArray[] {x})[0];
    }

    private static INDArray avg(Node n, INDArray x) {
        return new AveragePoolKernel(n, 19).run(new INDArray[] {x})[0];
    }

    @Test
    void maxPoolPadsStridesCeilDilations() {
        assertValues(max(node("MaxPool", "kernel_shape", ints(3, 3), "strides", ints(2, 2), "pads", ints(1, 0, 2, 1)), X),
                ints(1, 2, 3, 2), 2, 4, 5, 4, 5, 3, 5, 5, 5, 5, 4, 5);
        assertValues(max(node("MaxPool", "kernel_shape", ints(3, 3), "strides", ints(2, 2), "ceil_mode", 1), X),
                ints(1, 2, 2, 2), 5, 4, 5, 3, 5, 5, 4, 5);
        assertValues(max(node("MaxPool", "kernel_shape", ints(2, 2), "dilations", ints(2, 2)), X),
                ints(1, 2, 3, 3), 5, -2, -1, 2, 3, 4, 5, 5, -2, 0, 1, 2, 5, 5, 5, -1, 0, 1);
    }

    @Test
    void maxPoolAutoPad() {
        assertValues(max(node("MaxPool", "kernel_shape", ints(2, 3), "strides", ints(2, 1), "auto_pad", "SAME_LOWER"), X),
                ints(1, 2, 3, 5), -4, -3, -2, -1, -1, 5, 5, 3, 4, 4, 5, 5, 5, 3, 3, -1, 0, 1, 2, 2, 4, 5, 5, 5, 1, 3, 4, 5, 5, 5);
        assertValues(max(node("MaxPool", "kernel_shape", ints(2, 3), "strides", ints(2, 1), "auto_pad", "SAME_UPPER"), X),
                ints(1, 2, 3, 5), 1, 2, 3, 4, 4, 5, 5, 2, 3, 3, 5, 5, 5, -3, -3, 4, 5, 5, 5, 2, 3, 4, 5, 5, 5, -3, -2, -1, 0, 0);
    }

    @Test
    void maxPoolIndicesInBothStorageOrders() {
        float[] v = new float[64];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 7) % 32 - 16;
        }
        INDArray x = Nd4j.create(v, new long[] {2, 2, 4, 4}, 'c');
        for (int order = 0; order <= 1; order++) {
            Node n = node("MaxPool", "kernel_shape", ints(2, 2), "strides", ints(2, 2), "storage_order", order);
            n.addOutput(new Value("y", null));
            n.addOutput(new Value("i", null));
            INDArray[] out = new MaxPoolKernel(n, 12).run(new INDArray[] {x});
            assertValues(out[0], ints(2, 2, 2, 2), 12, 5, 15, -3, 7, 14, -1, 13, 12, 5, 15, -3, 7, 14, -1, 13);
            assertEquals(DataType.LONG, out[1].dataType());
            long[] expected = order == 0
                    ? new long[] {4, 3, 9, 11, 17, 18, 25, 27, 36, 35, 41, 43, 49, 50, 57, 59}
                    : new long[] {1, 12, 6, 14, 20, 24, 22, 30, 33, 44, 38, 46, 52, 56, 54, 62};
            assertArrayEquals(expected, out[1].data().asLong());
        }
    }

    @Test
    void maxPoolKeepsIntegerType() {
        INDArray y = max(node("MaxPool", "kernel_shape", ints(2, 2), "strides", ints(2, 2)), pattern(200, 0, 1, 1, 4, 4).castTo(DataType.UBYTE));
        assertEquals(DataType.UBYTE, y.dataType());
        assertValues(y, ints(1, 1, 2, 2), 5, 7, 13, 15);
    }

    @Test
    void averagePoolPadsWithAndWithoutCountIncludePad() {
        Node plain = node("AveragePool", "kernel_shape", ints(3, 3), "pads", ints(1, 1, 2, 0));
        assertValues(avg(plain, X), ints(1, 2, 6, 4),
                -2f, -1.5f, -0.5f, 0.5f, -1.3333333730697632f, -1.4444444179534912f, -1.6666666269302368f, -0.6666666865348816f,
                0f, -0.1111111119389534f, -0.3333333432674408f, 0.6666666865348816f, 1.3333333730697632f, 0f, -1.4444444179534912f,
                -1.6666666269302368f, 2f, 0.6666666865348816f, -0.1666666716337204f, -1f, 4.5f, 1.3333333730697632f,
                -1.3333333730697632f, -4f, 1f, 1.5f, 0.6666666865348816f, -0.1666666716337204f, -0.1666666716337204f,
                0.3333333432674408f, 0.1111111119389534f, -0.1111111119389534f, 1.1666666269302368f, 1.6666666269302368f,
                1.4444444179534912f, 0f, -1.1666666269302368f, -0.6666666865348816f, 0.3333333432674408f, 0.1111111119389534f,
                -0.5f, 0f, 1f, 0.1666666716337204f, -3.5f, -3f, -2f, -1f);
        Node cip = node("AveragePool", "kernel_shape", ints(3, 3), "pads", ints(1, 1, 2, 0), "count_include_pad", 1);
        assertValues(avg(cip, X), ints(1, 2, 6, 4),
                -0.8888888955116272f, -1f, -0.3333333432674408f, 0.3333333432674408f, -0.8888888955116272f, -1.4444444179534912f,
                -1.6666666269302368f, -0.6666666865348816f, 0f, -0.1111111119389534f, -0.3333333432674408f, 0.6666666865348816f,
                0.8888888955116272f, 0f, -1.4444444179534912f, -1.6666666269302368f, 0.8888888955116272f, 0.4444444477558136f,
                -0.1111111119389534f, -0.6666666865348816f, 1f, 0.4444444477558136f, -0.4444444477558136f, -1.3333333730697632f,
                0.4444444477558136f, 1f, 0.4444444477558136f, -0.1111111119389534f, -0.1111111119389534f, 0.3333333432674408f,
                0.1111111119389534f, -0.1111111119389534f, 0.7777777910232544f, 1.6666666269302368f, 1.4444444179534912f, 0f,
                -0.7777777910232544f, -0.6666666865348816f, 0.3333333432674408f, 0.1111111119389534f, -0.2222222238779068f, 0f,
                0.6666666865348816f, 0.1111111119389534f, -0.7777777910232544f, -1f, -0.6666666865348816f, -0.3333333432674408f);
    }

    @Test
    void averagePoolCeilModeWindowPastThePadding() {
        INDArray x = pattern(13, -6, 1, 1, 6, 6);
        Node cip = node("AveragePool", "kernel_shape", ints(3, 3), "strides", ints(2, 2), "pads", ints(1, 1, 1, 1),
                "ceil_mode", 1, "count_include_pad", 1);
        assertValues(avg(cip, x), ints(1, 1, 4, 4),
                -1.1111111640930176f, -0.6666666865348816f, 0.6666666865348816f, 0.6666666865348816f, 0f, -0.6666666865348816f,
                1.3333333730697632f, 1.1666666269302368f, 0.7777777910232544f, -0.2222222238779068f, 0.3333333432674408f,
                0.6666666865348816f, -0.5f, 0f, 1f, 0.75f);
        Node plain = node("AveragePool", "kernel_shape", ints(3, 3), "strides", ints(2, 2), "pads", ints(1, 1, 1, 1), "ceil_mode", 1);
        assertValues(avg(plain, x), ints(1, 1, 4, 4),
                -2.5f, -1f, 1f, 2f, 0f, -0.6666666865348816f, 1.3333333730697632f, 2.3333332538604736f, 1.1666666269302368f,
                -0.2222222238779068f, 0.3333333432674408f, 1.3333333730697632f, -1.5f, 0f, 2f, 3f);
        assertValues(avg(node("AveragePool", "kernel_shape", ints(3, 3), "strides", ints(2, 2), "ceil_mode", 1), X),
                ints(1, 2, 2, 2), -1.4444444179534912f, -0.6666666865348816f, 0f, -1.6666666269302368f, 0.3333333432674408f,
                -0.1111111119389534f, -0.6666666865348816f, 0.1111111119389534f);
    }

    @Test
    void averagePoolAutoPad() {
        assertValues(avg(node("AveragePool", "kernel_shape", ints(2, 2), "strides", ints(2, 3), "auto_pad", "VALID"), X),
                ints(1, 2, 2, 2), -2, 1, -0.25f, 0, 1, -1.5f, 0, 0.25f);
        INDArray y = avg(node("AveragePool", "kernel_shape", ints(3, 2), "auto_pad", "SAME_UPPER"), X);
        assertValues(y.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.point(0)),
                ints(5, 5), -2f, -1f, 0f, 1f, 1.5f, -1.3333333730697632f, -2.1666667461395264f, -1.1666666269302368f,
                -0.1666666716337204f, 0.3333333432674408f, 0f, -0.8333333134651184f, 0.1666666716337204f, 1.1666666269302368f,
                1.6666666269302368f, 1.3333333730697632f, -1.3333333730697632f, -2.1666667461395264f, -1.1666666269302368f,
                -0.6666666865348816f, 2f, 0.25f, -1.5f, -0.5f, 0f);
    }

    @Test
    void oneAndThreeDimensional() {
        INDArray x1 = pattern(7, -3, 1, 1, 8);
        assertValues(max(node("MaxPool", "kernel_shape", ints(3), "strides", ints(2), "pads", ints(1, 1)), x1), ints(1, 1, 4), -2, 0, 2, 3);
        assertValues(avg(node("AveragePool", "kernel_shape", ints(3), "strides", ints(2), "pads", ints(1, 1)), x1), ints(1, 1, 4),
                -2.5f, -1f, 1f, 0.6666666865348816f);
        INDArray x3 = pattern(5, 0, 1, 1, 3, 3, 3);
        assertValues(max(node("MaxPool", "kernel_shape", ints(2, 2, 2)), x3), ints(1, 1, 2, 2, 2), 4, 4, 4, 4, 4, 4, 4, 4);
        Node n = node("AveragePool", "kernel_shape", ints(2, 2, 2), "strides", ints(2, 2, 2), "pads", ints(0, 0, 0, 1, 1, 1),
                "count_include_pad", 1);
        assertValues(avg(n, x3), ints(1, 1, 2, 2, 2), 2.125f, 0.875f, 0.5f, 0.625f, 1.25f, 0.375f, 0.5f, 0.125f);
    }

    @Test
    void globalPools() {
        INDArray x = pattern(7, -3, 2, 2, 2, 3);
        Node n = node("GlobalAveragePool");
        assertValues(new GlobalAveragePoolKernel(n, 1).run(new INDArray[] {x})[0], ints(2, 2, 1, 1),
                -0.5f, -0.3333333432674408f, -0.1666666716337204f, 0f);
        assertValues(new GlobalMaxPoolKernel(node("GlobalMaxPool"), 1).run(new INDArray[] {x})[0], ints(2, 2, 1, 1), 2, 3, 3, 3);
        assertValues(new GlobalAveragePoolKernel(n, 1).run(new INDArray[] {pattern(4, 0, 1, 2, 4)})[0], ints(1, 2, 1), 1.5f, 1.5f);
    }

    @Test
    void rejectsBadAttributes() {
        assertThrows(KernelException.class, () -> new MaxPoolKernel(node("MaxPool"), 12));
        assertThrows(KernelException.class, () -> new MaxPoolKernel(node("MaxPool", "kernel_shape", ints(2, 2), "strides", ints(1)), 12));
        assertThrows(KernelException.class, () -> new AveragePoolKernel(node("AveragePool", "kernel_shape", ints(2, 2), "auto_pad", "X"), 11));
        assertThrows(KernelException.class, () -> max(node("MaxPool", "kernel_shape", ints(2, 2)), pattern(3, 0, 1, 1, 4)));
    }
}
