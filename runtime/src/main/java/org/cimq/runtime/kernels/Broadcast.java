package org.cimq.runtime.kernels;

import java.util.Arrays;
import java.util.stream.Collectors;
import org.cimq.ir.Node;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ONNX multidirectional (numpy) broadcasting: the common shape of several arrays, and expansion to it. */
final class Broadcast {
    private Broadcast() {
    }

    /** The broadcast shape of {@code shapes}; throws naming the node and every shape when they do not broadcast. */
    static long[] shape(Node node, long[]... shapes) {
        int rank = 0;
        for (long[] s : shapes) {
            rank = Math.max(rank, s.length);
        }
        long[] out = new long[rank];
        Arrays.fill(out, 1);
        for (long[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int o = rank - s.length + i;
                if (s[i] != out[o] && s[i] != 1 && out[o] != 1) {
                    throw new KernelException(node.describe() + ": shapes " + Arrays.stream(shapes).map(Arrays::toString)
                            .collect(Collectors.joining(", ")) + " cannot be broadcast together (dimension "
                            + o + " of the result: " + out[o] + " vs " + s[i] + ")");
                }
                if (out[o] == 1) {
                    out[o] = s[i];
                }
            }
        }
        return out;
    }

    /** The broadcast shape of the arrays' shapes. */
    static long[] shape(Node node, INDArray... arrays) {
        return shape(node, Arrays.stream(arrays).map(INDArray::shape).toArray(long[][]::new));
    }

    /** {@code a} expanded to {@code shape} (a C-order copy unless the shape already matches). */
    static INDArray to(INDArray a, long[] shape) {
        if (Arrays.equals(a.shape(), shape)) {
            return a;
        }
        if (numel(shape) == 0) {
            return Nd4j.create(a.dataType(), shape);
        }
        long[] padded = new long[shape.length];
        Arrays.fill(padded, 1);
        System.arraycopy(a.shape(), 0, padded, shape.length - a.rank(), a.rank());
        return a.reshape('c', padded).broadcast(shape);
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }
}
