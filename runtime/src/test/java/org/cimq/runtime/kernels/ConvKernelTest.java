package org.cimq.runtime.kernels;

import static org.cimq.runtime.kernels.NnTestSupport.assertValues;
import static org.cimq.runtime.kernels.NnTestSupport.ints;
import static org.cimq.runtime.kernels.NnTestSupport.node;
import static org.cimq.runtime.kernels.NnTestSupport.pattern;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cimq.runtime.KernelException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ConvKernelTest {
    private static final INDArray X5 = pattern(100, 0, 1, 1, 5, 5);
    private static final INDArray ONES = Nd4j.ones(1, 1, 3, 3);

    private static INDArray conv(org.cimq.ir.Node n, INDArray... in) {
        return new ConvKernel(n, 11).run(in)[0];
    }

    @Test
    void symmetricPads() {
        assertValues(conv(node("Conv", "pads", ints(1, 1, 1, 1), "kernel_shape", ints(3, 3)), X5, ONES), ints(1, 1, 5, 5),
                12, 21, 27, 33, 24, 33, 54, 63, 72, 51, 63, 99, 108, 117, 81, 93, 144, 153, 162, 111, 72, 111, 117, 123, 84);
    }

    @Test
    void stridesWithAsymmetricPads() {
        INDArray x = pattern(100, 0, 1, 1, 7, 5);
        assertValues(conv(node("Conv", "pads", ints(1, 0, 1, 0), "strides", ints(2, 2)), x, ONES), ints(1, 1, 4, 2),
                21, 33, 99, 117, 189, 207, 171, 183);
    }

    @Test
    void sameLowerWithStrides() {
        assertValues(conv(node("Conv", "auto_pad", "SAME_LOWER", "strides", ints(2, 2)), X5, ONES), ints(1, 1, 3, 3),
                12, 27, 24, 63, 108, 81, 72, 117, 84);
    }

    @Test
    void batchChannelsAndBias() {
        INDArray x = pattern(5, -2, 2, 2, 3, 3);
        INDArray w = pattern(3, -1, 3, 2, 2, 2);
        INDArray b = Nd4j.create(new float[] {0.5f, -1, 2});
        assertValues(conv(node("Conv"), x, w, b), ints(2, 3, 2, 2),
                -0.5f, 3.5f, 1.5f, 0.5f, -3, -3, -3, 2, 5, 1, 3, -1, 1.5f, 0.5f, 3.5f, -2.5f, -3, 2, -3, 2, 3, -1, 1, 2);
    }

    @Test
    void groupsWithDilationsSameUpperAndBias() {
        INDArray x = pattern(7, -3, 1, 4, 5, 5);
        INDArray w = pattern(5, -2, 4, 2, 2, 2);
        INDArray b = Nd4j.create(new float[] {1, -1, 0.5f, 2});
        org.cimq.ir.Node n = node("Conv", "group", 2, "dilations", ints(2, 2), "auto_pad", "SAME_UPPER");
        assertValues(conv(n, x, w, b), ints(1, 4, 5, 5),
                4, -1, -1, -1, -1, 0, 9, 20, 10, -5, -3, -6, -9, 9, 11, 1, -7, -10, -6, -8, -4, 15, 12, -5, -5,
                -4, -6, -9, 2, 7, 0, -9, -15, -7, -7, 0, 10, 11, -9, -9, 0, -6, 9, 10, 10, 0, -6, -2, 2, 0,
                -4.5f, 1.5f, -1.5f, -4.5f, -0.5f, 0.5f, 8.5f, -5.5f, 8.5f, 0.5f, -3.5f, -5.5f, 1.5f, 8.5f, -2.5f,
                -0.5f, 1.5f, -5.5f, -5.5f, 1.5f, 3.5f, -2.5f, 7.5f, 3.5f, 0.5f,
                1, -3, 0, 3, -3, 11, -3, -4, -12, 3, 13, 13, 12, -3, 3, -6, -6, 14, 13, 3, -4, -3, -7, -4, 5);
    }

    @Test
    void depthwiseWithMultiplierAndAsymmetricPads() {
        INDArray x = pattern(5, 0, 1, 2, 4, 4);
        INDArray w = pattern(4, -1, 4, 1, 3, 3);
        INDArray b = Nd4j.create(new float[] {0, 1, 2, 3});
        org.cimq.ir.Node n = node("Conv", "group", 2, "strides", ints(2, 2), "pads", ints(0, 1, 1, 0));
        assertValues(conv(n, x, w, b), ints(1, 4, 2, 2), -1, 4, 2, -1, 0, 19, 15, 0, 4, 16, 21, 4, 5, 11, 1, 5);
    }

    @Test
    void dilatedDepthwise() {
        org.cimq.ir.Node n = node("Conv", "group", 2, "dilations", ints(2, 2), "pads", ints(1, 1, 1, 1));
        assertValues(conv(n, pattern(7, -3, 1, 2, 5, 5), pattern(5, -2, 2, 1, 2, 2), Nd4j.create(new float[] {1, -1})),
                ints(1, 2, 5, 5), 4, -2, -1, 0, 1, 4, 10, 8, -1, 1, -3, 0, -2, 10, 5, -3, -3, -5, 0, -5, 2, 5, 2, -1, -1,
                -1, 0, -1, -2, -3, -5, -2, 11, 10, -7, -1, -7, -8, -2, 5, 3, -5, -6, -7, -4, -7, 9, 9, -5, -5);
    }

    @Test
    void oneDimensional() {
        INDArray x = pattern(6, -2, 1, 2, 7);
        INDArray w = pattern(4, -1, 3, 2, 3);
        assertValues(conv(node("Conv", "strides", ints(2), "pads", ints(2, 1)), x, w), ints(1, 3, 4),
                -2, 0, 2, 4, 0, -2, 8, 6, -2, 0, 2, 4);
        assertValues(conv(node("Conv", "dilations", ints(2), "auto_pad", "VALID"), x, w), ints(1, 3, 3),
                1, 2, -3, 3, -4, 7, 1, 2, -3);
    }

    @Test
    void inputsAreNotModified() {
        INDArray x = pattern(100, 0, 1, 1, 5, 5);
        conv(node("Conv", "pads", ints(0, 0, 1, 1)), x, ONES);
        assertTrue(x.equals(X5));
    }

    @Test
    void rejectsThreeDimensionalAndBadAttributes() {
        assertThrows(KernelException.class, () -> new ConvKernel(node("Conv", "kernel_shape", ints(1, 1, 1)), 11));
        assertThrows(KernelException.class, () -> conv(node("Conv"), Nd4j.ones(1, 1, 2, 2, 2), Nd4j.ones(1, 1, 1, 1, 1)));
        assertThrows(KernelException.class, () -> new ConvKernel(node("Conv", "auto_pad", "FULL"), 11));
        assertThrows(KernelException.class, () -> conv(node("Conv", "group", 3), X5, ONES));
    }
}
