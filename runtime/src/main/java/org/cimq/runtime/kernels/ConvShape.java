package org.cimq.runtime.kernels;

/**
 * The geometry of one 2-D convolution on NCHW data with OIHW weights, in array cells: batch
 * {@code n}, {@code in}/{@code out} channels, input {@code inH}×{@code inW}, kernel, strides,
 * the top/left padding (the bottom/right padding only shows in the output size), dilations,
 * groups, and the output size {@code outH}×{@code outW}.
 */
record ConvShape(int n, int in, int inH, int inW, int out, int kernelH, int kernelW, int strideH, int strideW,
        int padTop, int padLeft, int dilationH, int dilationW, int group, int outH, int outW) {

    /** The geometry for x [N,C,H,W], w [O,C/group,kH,kW], pads begin/end and s, d as {H, W}. */
    static ConvShape of(long[] x, long[] w, long[] s, long[] padBegin, long[] padEnd, long[] d, int group) {
        long oh = Math.floorDiv(x[2] + padBegin[0] + padEnd[0] - d[0] * (w[2] - 1) - 1, s[0]) + 1;
        long ow = Math.floorDiv(x[3] + padBegin[1] + padEnd[1] - d[1] * (w[3] - 1) - 1, s[1]) + 1;
        return new ConvShape(Math.toIntExact(x[0]), Math.toIntExact(x[1]), Math.toIntExact(x[2]), Math.toIntExact(x[3]),
                Math.toIntExact(w[0]), Math.toIntExact(w[2]), Math.toIntExact(w[3]), Math.toIntExact(s[0]),
                Math.toIntExact(s[1]), Math.toIntExact(padBegin[0]), Math.toIntExact(padBegin[1]),
                Math.toIntExact(d[0]), Math.toIntExact(d[1]), group, Math.toIntExact(oh), Math.toIntExact(ow));
    }

    int inPerGroup() {
        return in / group;
    }

    int outPerGroup() {
        return out / group;
    }

    /** Weights per output channel: C/group · kH · kW. */
    int patch() {
        return inPerGroup() * kernelH * kernelW;
    }

    int outPixels() {
        return outH * outW;
    }

    long[] outShape() {
        return new long[] {n, out, outH, outW};
    }
}
