package org.cimq.runtime.kernels;

import java.util.Arrays;

/**
 * The arithmetic of {@link JavaConv2d} on Java arrays: one task is one image, one group and one
 * tile of consecutive output pixels. The task gathers the input patches of its pixels into a
 * panel (im2col restricted to the tile, zeros where the window reaches into the padding) and
 * multiplies the group's weights into it, accumulating over one output-channel block at a time
 * so that the panel row is read once per block.
 */
final class ConvTiles {
    /** Output channels updated together per pass over a panel row. */
    private static final int BLOCK = 4;

    private final ConvShape s;
    private final int tile;
    private final int tilesPerPlane;

    ConvTiles(ConvShape shape, int tile) {
        this.s = shape;
        this.tile = tile;
        this.tilesPerPlane = (s.outPixels() + tile - 1) / tile;
    }

    int taskCount() {
        return s.n() * s.group() * tilesPerPlane;
    }

    int tile() {
        return tile;
    }

    /** One thread's scratch arrays. */
    record Scratch(float[][] panel, float[][] acc) {
    }

    /** Per-thread scratch: the panel (one array per patch row) and one accumulator row per block channel. */
    Scratch scratch() {
        return new Scratch(new float[s.patch()][tile], new float[BLOCK][tile]);
    }

    /** Computes task {@code task} into {@code y}. */
    void run(int task, float[] x, float[] w, float[] b, float[] y, Scratch scratch) {
        int t = task % tilesPerPlane;
        int g = (task / tilesPerPlane) % s.group();
        int n = task / (tilesPerPlane * s.group());
        int p0 = t * tile;
        int width = Math.min(tile, s.outPixels() - p0);
        float[][] panel = scratch.panel();
        float[][] acc = scratch.acc();
        gather(x, n, g, p0, width, panel);
        int k = s.patch();
        int og = s.outPerGroup();
        for (int o = 0; o < og; o += BLOCK) {
            int rows = Math.min(BLOCK, og - o);
            int oc = g * og + o;
            for (int r = 0; r < rows; r++) {
                Arrays.fill(acc[r], 0, width, b == null ? 0f : b[oc + r]);
            }
            if (rows == BLOCK) {
                multiply4(w, oc * k, k, panel, width, acc[0], acc[1], acc[2], acc[3]);
            } else {
                for (int r = 0; r < rows; r++) {
                    multiply1(w, (oc + r) * k, k, panel, width, acc[r]);
                }
            }
            for (int r = 0; r < rows; r++) {
                System.arraycopy(acc[r], 0, y, (n * s.out() + oc + r) * s.outPixels() + p0, width);
            }
        }
    }

    /*
     * The inner loops index every array from 0 with the same j: HotSpot 17 vectorizes them
     * (AVX2/AVX-512) only then, not with a different offset per array.
     */
    private static void multiply4(float[] w, int wAt, int k, float[][] panel, int width,
            float[] y0, float[] y1, float[] y2, float[] y3) {
        for (int kk = 0; kk < k; kk++) {
            float w0 = w[wAt + kk];
            float w1 = w[wAt + k + kk];
            float w2 = w[wAt + 2 * k + kk];
            float w3 = w[wAt + 3 * k + kk];
            float[] p = panel[kk];
            for (int j = 0; j < width; j++) {
                float v = p[j];
                y0[j] += w0 * v;
                y1[j] += w1 * v;
                y2[j] += w2 * v;
                y3[j] += w3 * v;
            }
        }
    }

    private static void multiply1(float[] w, int wAt, int k, float[][] panel, int width, float[] y0) {
        for (int kk = 0; kk < k; kk++) {
            float w0 = w[wAt + kk];
            float[] p = panel[kk];
            for (int j = 0; j < width; j++) {
                y0[j] += w0 * p[j];
            }
        }
    }

    /** panel[(c, i, j) row][pixel] = x[n, g·C/group + c, oy·sH − padTop + i·dH, ox·sW − padLeft + j·dW] or 0. */
    private void gather(float[] x, int n, int g, int p0, int width, float[][] panel) {
        int cg = s.inPerGroup();
        int kh = s.kernelH();
        int kw = s.kernelW();
        int ow = s.outW();
        int row = 0;
        for (int c = 0; c < cg; c++) {
            int plane = (n * s.in() + g * cg + c) * s.inH() * s.inW();
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++, row++) {
                    float[] dst = panel[row];
                    int at = 0;
                    int p = p0;
                    int end = p0 + width;
                    while (p < end) {
                        int oy = p / ow;
                        int ox = p % ow;
                        int run = Math.min(end - p, ow - ox);
                        int iy = oy * s.strideH() - s.padTop() + i * s.dilationH();
                        if (iy < 0 || iy >= s.inH()) {
                            Arrays.fill(dst, at, at + run, 0f);
                        } else {
                            copyRow(x, plane + iy * s.inW(), ox, run, j, dst, at);
                        }
                        at += run;
                        p += run;
                    }
                }
            }
        }
    }

    /** Copies {@code run} input cells of one input row for output columns ox.., kernel column j. */
    private void copyRow(float[] x, int rowAt, int ox, int run, int j, float[] panel, int dst) {
        int sw = s.strideW();
        int first = ox * sw - s.padLeft() + j * s.dilationW();
        int inW = s.inW();
        if (sw == 1 && first >= 0 && first + run <= inW) {
            System.arraycopy(x, rowAt + first, panel, dst, run);
            return;
        }
        for (int q = 0; q < run; q++) {
            int ix = first + q * sw;
            panel[dst + q] = ix >= 0 && ix < inW ? x[rowAt + ix] : 0f;
        }
    }
}
