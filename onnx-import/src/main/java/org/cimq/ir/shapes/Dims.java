package org.cimq.ir.shapes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.cimq.ir.Dim;
import org.cimq.ir.IrException;
import org.cimq.ir.Node;

/** Arithmetic over {@link Dim} lists shared by the rules: broadcasting, products, window sizes. */
final class Dims {
    private Dims() {
    }

    /**
     * Multidirectional (numpy) broadcast of several shapes; null when any rank is unknown.
     *
     * @throws IrException naming the node when two known sizes cannot broadcast
     */
    static List<Dim> broadcast(Node node, List<List<Dim>> shapes) {
        int rank = 0;
        for (List<Dim> s : shapes) {
            if (s == null) {
                return null;
            }
            rank = Math.max(rank, s.size());
        }
        List<Dim> out = new ArrayList<>(rank);
        for (int i = 0; i < rank; i++) {
            List<Dim> column = new ArrayList<>();
            for (List<Dim> s : shapes) {
                int j = s.size() - rank + i;
                if (j >= 0) {
                    column.add(s.get(j));
                }
            }
            out.add(broadcastDim(node, column, shapes));
        }
        return out;
    }

    private static Dim broadcastDim(Node node, List<Dim> column, List<List<Dim>> shapes) {
        Dim known = null;
        List<Dim> open = new ArrayList<>();
        for (Dim d : column) {
            if (d.isKnown()) {
                if (d.value() == 1) {
                    continue;
                }
                if (known != null && known.value() != d.value()) {
                    throw new IrException(node.describe() + ": shapes " + shapes + " cannot broadcast ("
                            + known.value() + " vs " + d.value() + ")");
                }
                known = d;
            } else {
                open.add(d);
            }
        }
        if (known != null) {
            return known;
        }
        if (open.isEmpty()) {
            return Dim.of(1);
        }
        String name = open.get(0).param();
        for (Dim d : open) {
            if (name == null || !name.equals(d.param())) {
                return open.size() == 1 ? open.get(0) : Dim.UNKNOWN;
            }
        }
        return open.get(0);
    }

    /** The product of some dims: known if all are known, a symbol times known 1s stays that symbol. */
    static Dim product(List<Dim> dims) {
        long p = 1;
        Dim open = null;
        for (Dim d : dims) {
            if (d.isKnown()) {
                p = Math.multiplyExact(p, d.value());
            } else if (open == null) {
                open = d;
            } else {
                return Dim.UNKNOWN;
            }
        }
        if (open == null) {
            return Dim.of(p);
        }
        return p == 1 ? open : p == 0 ? Dim.of(0) : Dim.UNKNOWN;
    }

    /**
     * The dims for {@code -1} in a Reshape: input size over the output's other dims, cancelling
     * symbols that appear on both sides; unknown when not derivable.
     */
    static Dim quotient(List<Dim> total, List<Dim> part) {
        long num = 1;
        long den = 1;
        List<String> numSyms = new ArrayList<>();
        List<String> denSyms = new ArrayList<>();
        for (Dim d : total) {
            if (d.isKnown()) {
                num = Math.multiplyExact(num, d.value());
            } else if (d.param() != null) {
                numSyms.add(d.param());
            } else {
                return Dim.UNKNOWN;
            }
        }
        for (Dim d : part) {
            if (d.isKnown()) {
                den = Math.multiplyExact(den, d.value());
            } else if (d.param() != null && numSyms.remove(d.param())) {
                continue;
            } else {
                return Dim.UNKNOWN;
            }
        }
        if (den == 0 || num % den != 0) {
            return Dim.UNKNOWN;
        }
        long q = num / den;
        if (numSyms.isEmpty()) {
            return Dim.of(q);
        }
        return numSyms.size() == 1 && q == 1 ? Dim.symbolic(numSyms.get(0)) : Dim.UNKNOWN;
    }

    /** The more specific of two dims that must be equal, or null when they conflict. */
    static Dim unify(Dim a, Dim b) {
        if (a.isKnown() && b.isKnown()) {
            return a.value() == b.value() ? a : null;
        }
        if (a.isKnown()) {
            return a;
        }
        if (b.isKnown() || a.param() == null) {
            return b;
        }
        return a;
    }

    /** {@code n} unknown dims. */
    static List<Dim> unknown(int n) {
        return new ArrayList<>(Collections.nCopies(n, Dim.UNKNOWN));
    }

    /** An axis in {@code [-rank, rank)} made non-negative. */
    static int axis(Node node, long axis, int rank) {
        if (axis < -rank || axis >= rank) {
            throw new IrException(node.describe() + ": axis " + axis + " is out of range for rank " + rank);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /**
     * One spatial output size of a convolution or pooling window.
     *
     * @param pads begin and end padding; ignored under SAME_* auto_pad
     */
    static Dim window(Dim in, long kernel, long stride, long dilation, long padBegin, long padEnd,
                      String autoPad, boolean ceil) {
        long effKernel = (kernel - 1) * dilation + 1;
        boolean same = autoPad.startsWith("SAME");
        if (!in.isKnown()) {
            boolean identity = stride == 1 && (same || effKernel == 1 && padBegin == 0 && padEnd == 0);
            return identity ? in : Dim.UNKNOWN;
        }
        long size = in.value();
        if (same) {
            return Dim.of(Math.floorDiv(size + stride - 1, stride));
        }
        if ("VALID".equals(autoPad)) {
            padBegin = 0;
            padEnd = 0;
        }
        long span = size + padBegin + padEnd - effKernel;
        if (span < 0) {
            return Dim.UNKNOWN;
        }
        long out = (ceil ? Math.floorDiv(span + stride - 1, stride) : Math.floorDiv(span, stride)) + 1;
        if (ceil && (out - 1) * stride >= size + padBegin) {
            out--;
        }
        return Dim.of(out);
    }
}
