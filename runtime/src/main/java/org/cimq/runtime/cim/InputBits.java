package org.cimq.runtime.cim;

import org.cimq.runtime.KernelException;

/**
 * A layer's input digit planes re-laid for bit-packed partial sums: for every input pixel
 * (Conv: batch × height × width; Gemm/MatMul: every row of the input matrix) and every
 * plane bit q = i·D + b (digit plane i, bit b of its D-bit digit), one bit vector over the input
 * channels (features), {@code words} 64-bit words long.
 */
final class InputBits {
    final long[] bits;
    final int pixels;
    final int planeBits;
    final int channels;
    final int words;

    private InputBits(int pixels, int planeBits, int channels) {
        this.pixels = pixels;
        this.planeBits = planeBits;
        this.channels = channels;
        this.words = (channels + 63) >>> 6;
        long size = (long) pixels * planeBits * words;
        if (size > Integer.MAX_VALUE - 8) {
            throw new KernelException("input bit planes of " + pixels + " pixels x " + planeBits + " bits x " + channels
                    + " channels exceed one Java array; use a smaller batch");
        }
        this.bits = new long[(int) size];
    }

    /** Start of the channel vector of {@code pixel} and plane bit {@code q}. */
    int base(int pixel, int q) {
        return (pixel * planeBits + q) * words;
    }

    /** Planes [P, B, C, H, W] (c order) of digits in [0, 2^digitBits). */
    static InputBits ofConv(float[] planes, int p, int batch, int c, int h, int w, int digitBits, String who) {
        InputBits r = new InputBits(batch * h * w, p * digitBits, c);
        int hw = h * w;
        for (int i = 0; i < p; i++) {
            for (int b = 0; b < batch; b++) {
                for (int ch = 0; ch < c; ch++) {
                    int src = ((i * batch + b) * c + ch) * hw;
                    int word = ch >>> 6;
                    long mask = 1L << (ch & 63);
                    for (int k = 0; k < hw; k++) {
                        int v = digit(planes[src + k], digitBits, who);
                        if (v != 0) {
                            int pixel = b * hw + k;
                            for (int bit = 0; bit < digitBits; bit++) {
                                if ((v >>> bit & 1) != 0) {
                                    r.bits[r.base(pixel, i * digitBits + bit) + word] |= mask;
                                }
                            }
                        }
                    }
                }
            }
        }
        return r;
    }

    /** Planes [P, M, K] (c order) of digits in [0, 2^digitBits). */
    static InputBits ofMatrix(float[] planes, int p, int m, int k, int digitBits, String who) {
        InputBits r = new InputBits(m, p * digitBits, k);
        for (int i = 0; i < p; i++) {
            for (int row = 0; row < m; row++) {
                int src = (i * m + row) * k;
                for (int f = 0; f < k; f++) {
                    int v = digit(planes[src + f], digitBits, who);
                    if (v != 0) {
                        for (int bit = 0; bit < digitBits; bit++) {
                            if ((v >>> bit & 1) != 0) {
                                r.bits[r.base(row, i * digitBits + bit) + (f >>> 6)] |= 1L << (f & 63);
                            }
                        }
                    }
                }
            }
        }
        return r;
    }

    private static int digit(float f, int digitBits, String who) {
        int v = (int) f;
        if (v != f || v < 0 || v >= 1 << digitBits) {
            throw new KernelException(who + ": input digit " + f + " is not an integer in [0, " + ((1 << digitBits) - 1) + "]");
        }
        return v;
    }
}
