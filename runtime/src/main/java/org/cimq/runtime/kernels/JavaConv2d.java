package org.cimq.runtime.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * 2-D convolution of float NCHW data with OIHW weights in plain Java: im2col one tile of output
 * pixels at a time and multiply the weights into it ({@link ConvTiles}), tasks shared by
 * {@link ConvThreads}. It handles every stride, dilation, group count and (also asymmetric)
 * padding itself. {@link #applies} is the rule for using it instead of ND4J's oneDNN
 * convolution ({@link Conv2d}): small channel counts, where oneDNN's per-call set-up and its
 * OpenMP barriers cost more than the arithmetic.
 */
final class JavaConv2d {
    /** Channels per group up to which this path is used (ND4J's oneDNN path above). */
    static final long MAX_CHANNELS_PER_GROUP = 64;
    /** Panel size aimed at per task (floats): 32 K floats = 128 KB, inside a core's L2. */
    private static final int PANEL_FLOATS = 32 * 1024;

    private JavaConv2d() {
    }

    /**
     * The rule: FLOAT input, weights and bias; pads >= 0; a non-empty input and output with
     * fewer than 2^31 cells each (Java arrays, int indices); at most
     * {@link #MAX_CHANNELS_PER_GROUP} input and output channels per group. x [N,C,H,W],
     * w [O,C/group,kH,kW], b [O] or null; s, pads, d as {H, W}.
     */
    static boolean applies(INDArray x, INDArray w, INDArray b, long[] s, long[] padBegin, long[] padEnd, long[] d,
            int group) {
        if (x.dataType() != DataType.FLOAT || w.dataType() != DataType.FLOAT
                || (b != null && b.dataType() != DataType.FLOAT)) {
            return false;
        }
        if (padBegin[0] < 0 || padBegin[1] < 0 || padEnd[0] < 0 || padEnd[1] < 0) {
            return false;
        }
        if (w.size(1) > MAX_CHANNELS_PER_GROUP || w.size(0) / group > MAX_CHANNELS_PER_GROUP) {
            return false;
        }
        long oh = Math.floorDiv(x.size(2) + padBegin[0] + padEnd[0] - d[0] * (w.size(2) - 1) - 1, s[0]) + 1;
        long ow = Math.floorDiv(x.size(3) + padBegin[1] + padEnd[1] - d[1] * (w.size(3) - 1) - 1, s[1]) + 1;
        long outLength = x.size(0) * w.size(0) * Math.max(0, oh) * Math.max(0, ow);
        return x.length() > 0 && x.length() < Integer.MAX_VALUE && outLength > 0 && outLength < Integer.MAX_VALUE;
    }

    /** y [N,O,outH,outW] for x, w, b (or null) as {@link #applies} describes. */
    static INDArray run(INDArray x, INDArray w, INDArray b, long[] s, long[] padBegin, long[] padEnd, long[] d,
            int group) {
        ConvShape shape = ConvShape.of(x.shape(), w.shape(), s, padBegin, padEnd, d, group);
        float[] xs = floats(x);
        float[] ws = floats(w);
        float[] bs = b == null ? null : floats(b);
        float[] y = new float[shape.n() * shape.out() * shape.outPixels()];
        ConvTiles tiles = new ConvTiles(shape, tileFor(shape));
        ConvThreads.run(tiles.taskCount(), tiles::scratch, (scratch, t) -> tiles.run(t, xs, ws, bs, y, scratch));
        return Nd4j.create(y, shape.outShape(), 'c');
    }

    /** Output pixels per task: a panel of about {@link #PANEL_FLOATS}, a multiple of 16, at least 64. */
    static int tileFor(ConvShape s) {
        int tile = Math.max(64, PANEL_FLOATS / Math.max(1, s.patch()));
        return Math.min(s.outPixels(), (tile + 15) / 16 * 16);
    }

    /** The array's values in C order, as a Java array. */
    private static float[] floats(INDArray a) {
        INDArray c = a.isView() || a.ordering() != 'c' || a.data().length() != a.length() ? a.dup('c') : a;
        return c.data().asFloat();
    }
}
