package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.KernelException;

/** Normalization of ONNX axis numbers (negative counts from the end) against a rank. */
final class Axes {
    private Axes() {
    }

    /** {@code axis} in [-rank, rank) mapped to [0, rank); throws naming the node otherwise. */
    static int normalize(long axis, int rank, Node node, String what) {
        if (axis < -rank || axis >= rank) {
            throw new KernelException(node.describe() + ": " + what + " " + axis + " is out of range for rank " + rank);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** Every axis normalized; duplicates are rejected. */
    static int[] normalizeAll(long[] axes, int rank, Node node, String what) {
        int[] out = new int[axes.length];
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < axes.length; i++) {
            out[i] = normalize(axes[i], rank, node, what);
            if (seen[out[i]]) {
                throw new KernelException(node.describe() + ": " + what + " lists axis " + axes[i] + " twice");
            }
            seen[out[i]] = true;
        }
        return out;
    }
}
