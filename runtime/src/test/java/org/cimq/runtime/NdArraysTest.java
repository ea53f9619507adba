package org.cimq.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cimq.ir.DType;
import org.cimq.ir.Tensor;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NdArraysTest {
    @Test
    void floatsRoundTripThroughNd4jWithValuesAndShape() {
        Tensor t = Tensor.ofFloats(new long[] {2, 3}, 1, 2, 3, 4, 5, 6);
        INDArray a = NdArrays.fromTensor(t);
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertEquals(6f, a.getFloat(1, 2));
        assertEquals(t, NdArrays.toTensor(a));
    }

    @Test
    void scalarsEmptyAndIntegerTypesRoundTrip() {
        Tensor s = Tensor.scalar(7L);
        INDArray a = NdArrays.fromTensor(s);
        assertEquals(0, a.rank());
        assertEquals(DataType.LONG, a.dataType());
        assertEquals(7L, a.getLong(0));
        assertEquals(s, NdArrays.toTensor(a));

        Tensor e = Tensor.ofFloats(new long[] {0, 3});
        INDArray ea = NdArrays.fromTensor(e);
        assertArrayEquals(new long[] {0, 3}, ea.shape());
        assertEquals(e, NdArrays.toTensor(ea));

        Tensor b = Tensor.ofBools(new long[] {3}, true, false, true);
        assertEquals(b, NdArrays.toTensor(NdArrays.fromTensor(b)));
        Tensor u8 = Tensor.ofRaw(DType.UINT8, new long[] {2}, new byte[] {(byte) 200, 3});
        assertEquals(200, NdArrays.fromTensor(u8).getInt(0));
    }

    @Test
    void viewsAreCopiedInCOrder() {
        INDArray a = Nd4j.arange(0, 6).castTo(DataType.FLOAT).reshape(2, 3).transpose();
        Tensor t = NdArrays.toTensor(a);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, t.toFloatArray());
    }
}
