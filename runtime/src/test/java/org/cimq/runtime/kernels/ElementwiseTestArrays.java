package org.cimq.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Array builders and value assertions for the element-wise kernel tests. */
final class ElementwiseTestArrays {
    private ElementwiseTestArrays() {
    }

    static long[] shape(long... dims) {
        return dims;
    }

    static INDArray floats(long[] shape, float... v) {
        return Nd4j.createFromArray(v).reshape('c', shape);
    }

    static INDArray longs(long[] shape, long... v) {
        return Nd4j.createFromArray(v).reshape('c', shape);
    }

    static INDArray ints(long[] shape, int... v) {
        return Nd4j.createFromArray(v).reshape('c', shape);
    }

    static INDArray bools(long[] shape, boolean... v) {
        return Nd4j.createFromArray(v).reshape('c', shape);
    }

    static Node node(String op, int outputs) {
        Node n = new Node("t", op, "");
        for (int i = 0; i < outputs; i++) {
            n.addOutput(new Value("out" + i, null));
        }
        return n;
    }

    static Node node(String op) {
        return node(op, 1);
    }

    static void assertFloats(INDArray actual, long[] shape, float... expected) {
        assertEquals(DataType.FLOAT, actual.dataType());
        assertArrayEquals(shape, actual.shape());
        float[] got = expected.length == 0 ? new float[0] : actual.dup('c').data().asFloat();
        assertArrayEquals(expected, got, 1e-5f);
    }

    static void assertLongs(INDArray actual, DataType type, long[] shape, long... expected) {
        assertEquals(type, actual.dataType());
        assertArrayEquals(shape, actual.shape());
        long[] got = expected.length == 0 ? new long[0] : actual.castTo(DataType.LONG).dup('c').data().asLong();
        assertArrayEquals(expected, got);
    }

    static void assertBools(INDArray actual, long[] shape, boolean... expected) {
        assertEquals(DataType.BOOL, actual.dataType());
        assertArrayEquals(shape, actual.shape());
        long[] got = actual.castTo(DataType.LONG).dup('c').data().asLong();
        boolean[] b = new boolean[got.length];
        for (int i = 0; i < got.length; i++) {
            b[i] = got[i] != 0;
        }
        assertArrayEquals(expected, b);
    }
}
