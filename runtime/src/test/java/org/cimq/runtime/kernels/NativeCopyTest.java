package org.cimq.runtime.kernels;

import static org.cimq.runtime.kernels.NnTestSupport.ints;
import static org.cimq.runtime.kernels.NnTestSupport.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The native strided copy and fill against ND4J's own dup/assign: views with offsets and steps
 * on either side, and the Slice and Pad kernels that use them, with the native code on and off
 * (the same values: they move values, they do not compute).
 */
class NativeCopyTest {
    @AfterEach
    void nativeBackOn() {
        FloatConvNative.setEnabled(true);
    }

    private static INDArray random(long seed, long... shape) {
        return NaiveConv.random(new Random(seed), shape);
    }

    @Test
    void copiesStridedViewsWithOffsetsBothWays() {
        INDArray x = random(1, 4, 5, 9);
        INDArray view = x.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all(), NDArrayIndex.interval(1, 2, 9));
        INDArray out = Nd4j.createUninitialized(DataType.FLOAT, view.shape(), 'c');
        assertEquals(FloatConvNative.available(), NativeCopy.copy(out, view));
        if (FloatConvNative.available()) {
            assertArrayEquals(view.dup('c').data().asFloat(), out.data().asFloat(), 0f, "out of a strided view");
            INDArray big = Nd4j.zeros(DataType.FLOAT, 4, 7, 9);
            INDArray window = big.get(NDArrayIndex.interval(2, 4), NDArrayIndex.interval(1, 6), NDArrayIndex.interval(0, 2, 7));
            assertTrue(NativeCopy.copy(window, out));
            INDArray expected = Nd4j.zeros(DataType.FLOAT, 4, 7, 9);
            expected.get(NDArrayIndex.interval(2, 4), NDArrayIndex.interval(1, 6), NDArrayIndex.interval(0, 2, 7)).assign(view);
            assertEquals(expected, big, "into a strided view, nothing else touched");
        }
        assertFalse(NativeCopy.copy(out.castTo(DataType.DOUBLE), view.castTo(DataType.DOUBLE)), "float32 only");
        assertFalse(NativeCopy.copy(Nd4j.create(DataType.FLOAT, 3), Nd4j.create(DataType.FLOAT, 4)), "shapes differ");
    }

    @Test
    void fillsWithAnyValue() {
        INDArray a = Nd4j.ones(DataType.FLOAT, 3, 5);
        assertEquals(FloatConvNative.available(), NativeCopy.fill(a, -2.5f));
        if (FloatConvNative.available()) {
            assertEquals(Nd4j.valueArrayOf(new long[] {3, 5}, -2.5f), a);
            assertTrue(NativeCopy.fill(a, 0f));
            assertEquals(Nd4j.zeros(DataType.FLOAT, 3, 5), a);
        }
        assertFalse(NativeCopy.fill(Nd4j.ones(DataType.FLOAT, 4, 4).get(NDArrayIndex.interval(1, 3)), 1f), "not a whole buffer");
    }

    /** Kernel k on x, then the same with the native code off: the same values. */
    private static INDArray onAndOff(org.cimq.runtime.Kernel k, INDArray... in) {
        INDArray on = k.run(in)[0];
        FloatConvNative.setEnabled(false);
        INDArray off = k.run(in)[0];
        FloatConvNative.setEnabled(true);
        assertArrayEquals(off.shape(), on.shape());
        assertArrayEquals(off.dup('c').data().asFloat(), on.dup('c').data().asFloat(), 0f);
        return on;
    }

    @Test
    void sliceWithStepsAsResNetShortcutsUseIt() {
        INDArray x = random(2, 3, 4, 8, 8);
        SliceKernel slice = new SliceKernel(node("Slice"), 13);
        INDArray y = onAndOff(slice, x, Nd4j.createFromArray(0L, 0L), Nd4j.createFromArray(8L, 8L),
                Nd4j.createFromArray(2L, 3L), Nd4j.createFromArray(2L, 2L));
        assertArrayEquals(ints(3, 4, 4, 4), y.shape());
        assertEquals(x.getFloat(1, 2, 6, 4), y.getFloat(1, 2, 3, 2));
        onAndOff(slice, x, Nd4j.createFromArray(-1L), Nd4j.createFromArray(-9L), Nd4j.createFromArray(3L),
                Nd4j.createFromArray(-3L));
    }

    @Test
    void padConstantAroundAndOnChannels() {
        INDArray x = random(3, 2, 3, 4, 4);
        PadKernel pad = new PadKernel(node("Pad", "mode", "constant"), 13);
        INDArray y = onAndOff(pad, x, Nd4j.createFromArray(0L, 2L, 1L, 0L, 0L, 2L, 0L, 3L), Nd4j.scalar(1.5f));
        assertArrayEquals(ints(2, 7, 5, 7), y.shape());
        assertEquals(1.5f, y.getFloat(1, 0, 0, 0));
        assertEquals(x.getFloat(1, 2, 3, 3), y.getFloat(1, 4, 4, 3));
        onAndOff(pad, x, Nd4j.createFromArray(0L, -1L, 0L, 0L, 0L, 0L, -1L, 2L));
    }
}
