package org.cimq.runtime.cim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The fused kernels' partial copies and plain arrays (the whole-array copies are NdArraysTest's). */
class FloatArraysTest {
    @Test
    void copyIntoWritesExactlyItsRangeAndRefusesRangesOutsideEitherArray() {
        float[] v = {1.5f, -0f, Float.MIN_VALUE, 3e38f, -7f, 0.25f};
        INDArray z = FloatArrays.uninitialized(new long[] {3, 2}, 6);
        z.assign(9f);
        FloatArrays.copyInto(z, v, 2, 3);
        float[] back = z.data().asFloat();
        float[] want = {9f, 9f, Float.MIN_VALUE, 3e38f, -7f, 9f};
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(back[i]), "element " + i);
        }
        FloatArrays.copyInto(z, v, 0, 2);
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(z.getFloat(1)));
        assertThrows(IllegalArgumentException.class, () -> FloatArrays.copyInto(z, v, 4, 3));
        assertThrows(IllegalArgumentException.class, () -> FloatArrays.copyInto(z, new float[2], 0, 3));
        assertThrows(IllegalArgumentException.class, () -> FloatArrays.uninitialized(new long[] {3, 2}, 5));
    }

    @Test
    void plainFloatIsTheArrayItselfWhenPlainElseAPlainCopy() {
        INDArray plain = Nd4j.create(Nd4j.linspace(-3, 20, 24, DataType.FLOAT).data().asFloat(), new long[] {2, 3, 4}, 'c');
        assertSame(plain, FloatArrays.plainFloat(plain));
        INDArray view = plain.get(NDArrayIndex.interval(1, 2), NDArrayIndex.all(), NDArrayIndex.interval(1, 3));
        INDArray copy = FloatArrays.plainFloat(view);
        assertEquals('c', copy.ordering());
        assertEquals(0, copy.offset());
        assertArrayEquals(view.dup('c').data().asFloat(), copy.data().asFloat());
        INDArray ints = FloatArrays.plainFloat(Nd4j.createFromArray(new int[] {7, -2, 3}));
        assertEquals(DataType.FLOAT, ints.dataType());
        assertArrayEquals(new float[] {7, -2, 3}, ints.data().asFloat());
    }
}
