package org.cimq.runtime.kernels;

import java.util.Arrays;
import org.cimq.ir.Node;
import org.cimq.runtime.KernelException;

/**
 * The sliding-window attributes shared by Conv and the pooling kernels (strides, dilations,
 * pads, auto_pad, ceil_mode), resolved against an input's spatial shape with ONNX's output-size
 * rules. Attributes are read once; their length is checked against the spatial rank when known.
 */
public final class WindowGeometry {
    /** Padding before and after each spatial axis, and the output size along it. */
    public record Resolved(long[] padBegin, long[] padEnd, long[] out) {
        boolean symmetric() {
            return Arrays.equals(padBegin, padEnd);
        }
    }

    private final Node node;
    private final long[] strides;
    private final long[] dilations;
    private final long[] pads;
    private final String autoPad;
    private final boolean ceil;

    public WindowGeometry(Node node, boolean ceilModeAllowed) {
        this.node = node;
        this.strides = node.attrInts("strides", null);
        this.dilations = node.attrInts("dilations", null);
        this.pads = node.attrInts("pads", null);
        this.autoPad = node.attrString("auto_pad", "NOTSET");
        this.ceil = ceilModeAllowed && node.attrInt("ceil_mode", 0) != 0;
        if (!autoPad.equals("NOTSET") && !autoPad.equals("VALID")
                && !autoPad.equals("SAME_UPPER") && !autoPad.equals("SAME_LOWER")) {
            throw new KernelException(node.describe() + ": auto_pad '" + autoPad
                    + "' is not supported (NOTSET, VALID, SAME_UPPER, SAME_LOWER are)");
        }
        for (long[] a : new long[][] {strides, dilations}) {
            for (int i = 0; a != null && i < a.length; i++) {
                if (a[i] < 1) {
                    throw new KernelException(node.describe() + ": strides and dilations must be >= 1, got "
                            + Arrays.toString(a));
                }
            }
        }
    }

    /** Throws unless every per-axis attribute has {@code rank} entries (2 * rank for pads). */
    void checkRank(int rank) {
        check("strides", strides, rank);
        check("dilations", dilations, rank);
        check("pads", pads, 2 * rank);
    }

    private void check(String name, long[] a, int n) {
        if (a != null && a.length != n) {
            throw new KernelException(node.describe() + ": attribute '" + name + "' has " + a.length
                    + " entries, expected " + n);
        }
    }

    public long stride(int axis) {
        return strides == null ? 1 : strides[axis];
    }

    public long dilation(int axis) {
        return dilations == null ? 1 : dilations[axis];
    }

    /** Pads and output sizes for spatial input sizes {@code in} and window sizes {@code kernel}. */
    public Resolved resolve(long[] in, long[] kernel) {
        int r = in.length;
        checkRank(r);
        long[] begin = new long[r];
        long[] end = new long[r];
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long s = stride(i);
            long span = (kernel[i] - 1) * dilation(i) + 1;
            switch (autoPad) {
                case "SAME_UPPER", "SAME_LOWER" -> {
                    out[i] = Math.floorDiv(in[i] + s - 1, s);
                    long total = Math.max(0, (out[i] - 1) * s + span - in[i]);
                    begin[i] = autoPad.equals("SAME_UPPER") ? total / 2 : total - total / 2;
                    end[i] = total - begin[i];
                }
                case "VALID" -> out[i] = Math.floorDiv(in[i] - span, s) + 1;
                default -> {
                    begin[i] = pads == null ? 0 : pads[i];
                    end[i] = pads == null ? 0 : pads[i + r];
                    long room = in[i] + begin[i] + end[i] - span;
                    out[i] = (ceil ? Math.floorDiv(room + s - 1, s) : Math.floorDiv(room, s)) + 1;
                    if (ceil && (out[i] - 1) * s >= in[i] + begin[i]) {
                        out[i]--;
                    }
                }
            }
            if (out[i] < 0) {
                out[i] = 0;
            }
        }
        return new Resolved(begin, end, out);
    }
}
