package org.cimq.cim.train;

import java.util.Random;

/**
 * Random crop with zero padding and horizontal flip on normalised NCHW images (CIFAR-10's usual
 * recipe): the image is padded by {@code pad} zeros (the mean pixel after normalisation) on every
 * side, a window of the original size is cut at a uniform offset, then mirrored with probability ½.
 */
public final class Augmentation {
    private Augmentation() {
    }

    /** Writes the augmented image {@code src[from .. from + c·h·w)} to {@code dst[to ..]}. */
    public static void cropFlip(float[] src, int from, float[] dst, int to, int c, int h, int w, int pad, Random r) {
        int dy = r.nextInt(2 * pad + 1) - pad;
        int dx = r.nextInt(2 * pad + 1) - pad;
        boolean flip = r.nextBoolean();
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sy = y + dy;
                    int sx = (flip ? w - 1 - x : x) + dx;
                    float v = sy < 0 || sy >= h || sx < 0 || sx >= w ? 0f : src[from + (ch * h + sy) * w + sx];
                    dst[to + (ch * h + y) * w + x] = v;
                }
            }
        }
    }
}
