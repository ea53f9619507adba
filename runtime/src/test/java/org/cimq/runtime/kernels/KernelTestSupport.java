package org.cimq.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cimq.ir.Attr;
import org.cimq.ir.Node;
import org.cimq.ir.Value;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small builders and assertions for the kernel tests. */
final class KernelTestSupport {
    private KernelTestSupport() {
    }

    /** A node with {@code outputs} outputs and the given attributes (name, Attr pairs). */
    static Node node(String op, int outputs, Object... attrs) {
        Node n = new Node("t", op, "");
        for (int i = 0; i < outputs; i++) {
            n.addOutput(new Value("y" + i, null));
        }
        for (int i = 0; i < attrs.length; i += 2) {
            n.setAttr((String) attrs[i], (Attr) attrs[i + 1]);
        }
        return n;
    }

    static Attr.IntAttr i(long v) {
        return new Attr.IntAttr(v);
    }

    static Attr.IntsAttr ints(long... v) {
        return Attr.IntsAttr.of(v);
    }

    /** 0, 1, 2, ... as FLOAT with the given shape. */
    static INDArray iota(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return Nd4j.arange(n).castTo(DataType.FLOAT).reshape('c', shape);
    }

    /** A 1-D INT64 array (shape [0] when empty, unlike {@code Nd4j.createFromArray}). */
    static INDArray longs(long... v) {
        return IndexArrays.vector(v);
    }

    static void assertArray(INDArray a, DataType type, long[] shape, double... values) {
        assertEquals(type, a.dataType());
        assertArrayEquals(shape, a.shape());
        assertEquals('c', a.ordering());
        assertEquals(values.length, a.length());
        for (int k = 0; k < values.length; k++) {
            assertEquals(values[k], a.dup('c').reshape(a.length()).getDouble(k), 1e-6, "element " + k);
        }
    }

    static long[] shape(long... s) {
        return s;
    }
}
