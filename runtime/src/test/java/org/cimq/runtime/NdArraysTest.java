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
    void javaFloatsBecomeAnArrayInOneMoveAndDenseFloatIsRecognised() {
        float[] v = {1, -2, 3.5f, 4, 5, 6};
        INDArray a = NdArrays.floats(v, new long[] {3, 1, 2});
        assertArrayEquals(new long[] {3, 1, 2}, a.shape());
        assertEquals(Nd4j.create(v, new long[] {3, 1, 2}, 'c'), a);
        assertEquals(0, NdArrays.floats(new float[0], new long[] {0, 4}).length());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> NdArrays.floats(v, new long[] {4}));
        org.junit.jupiter.api.Assertions.assertTrue(NdArrays.isDenseFloat(a));
        org.junit.jupiter.api.Assertions.assertTrue(NdArrays.isDenseFloat(a.reshape('c', new long[] {6})), "a reshape counts");
        org.junit.jupiter.api.Assertions.assertFalse(NdArrays.isDenseFloat(a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3))),
                "a slice does not");
        org.junit.jupiter.api.Assertions.assertFalse(NdArrays.isDenseFloat(a.permute(2, 1, 0)), "nor a transpose");
        org.junit.jupiter.api.Assertions.assertFalse(NdArrays.isDenseFloat(a.castTo(DataType.DOUBLE)), "nor a double array");
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

    /**
     * toFloats equals ND4J's element-by-element asFloat of a c-order float copy: plain arrays, views, other orders and
     * types, empty arrays; and floats → toFloats keeps every bit (−0, subnormals).
     */
    @Test
    void toFloatsReadsEveryArrayInCOrder() {
        INDArray plain = Nd4j.linspace(-3, 20, 24, DataType.FLOAT).reshape(2, 3, 4);
        INDArray[] cases = {plain, plain.permute(2, 0, 1),
            plain.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 2), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 3)),
            plain.dup('f'), plain.castTo(DataType.DOUBLE).muli(1.0 / 3), Nd4j.createFromArray(new int[] {7, -2, 3}),
            Nd4j.create(DataType.FLOAT, 0, 3)};
        for (INDArray a : cases) {
            float[] want = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
            assertArrayEquals(want, NdArrays.toFloats(a), a.shapeInfoToString());
        }
        float[] v = {1.5f, -0f, Float.MIN_VALUE, 3e38f, -7f, 0.25f};
        float[] back = NdArrays.toFloats(NdArrays.floats(v, new long[] {2, 3}));
        for (int i = 0; i < v.length; i++) {
            assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(back[i]), "element " + i);
        }
    }

    @Test
    void viewsAreCopiedInCOrder() {
        INDArray a = Nd4j.arange(0, 6).castTo(DataType.FLOAT).reshape(2, 3).transpose();
        Tensor t = NdArrays.toTensor(a);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, t.toFloatArray());
    }
}
