package org.cimq.runtime.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.cimq.ir.Attr;
import org.cimq.ir.Node;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small builders and assertions for the NN kernel tests. */
final class NnTestSupport {
    private NnTestSupport() {
    }

    static Node node(String op, Object... keyValues) {
        Node n = new Node("t", op, "");
        for (int i = 0; i < keyValues.length; i += 2) {
            String k = (String) keyValues[i];
            Object v = keyValues[i + 1];
            if (v instanceof long[] l) {
                n.setAttr(k, Attr.IntsAttr.of(l));
            } else if (v instanceof Integer x) {
                n.setAttr(k, new Attr.IntAttr(x));
            } else if (v instanceof Float f) {
                n.setAttr(k, new Attr.FloatAttr(f));
            } else if (v instanceof String s) {
                n.setAttr(k, Attr.StringAttr.of(s));
            } else {
                throw new IllegalArgumentException(k + ": " + v);
            }
        }
        return n;
    }

    static long[] ints(long... v) {
        return v;
    }

    static INDArray arr(float[] values, long... shape) {
        return Nd4j.create(values, shape, 'c');
    }

    /** Element i is {@code i % mod + offset}, like numpy's {@code arange(n) % mod + offset}. */
    static INDArray pattern(int mod, float offset, long... shape) {
        int n = 1;
        for (long d : shape) {
            n *= (int) d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i % mod + offset;
        }
        return arr(v, shape);
    }

    static void assertValues(INDArray actual, long[] shape, float... expected) {
        assertArrayEquals(shape, actual.shape(), "shape");
        assertArrayEquals(expected, actual.dup('c').castTo(DataType.FLOAT).data().asFloat(), 1e-5f);
    }
}
