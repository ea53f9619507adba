package org.cimq.data;

import java.util.Arrays;

/**
 * Per-channel scaling of 8-bit pixels: {@code ((byte / 255) - mean[c]) / std[c]}. Holds a
 * 256-entry lookup table per channel, so applying it costs one array read per pixel.
 */
public final class Normalization {
    private final float[] mean;
    private final float[] std;
    private final float[][] table;

    /** {@code mean} and {@code std} have one value per channel; every std must be positive. */
    public Normalization(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("mean and std need the same number of values (one per channel), got "
                    + mean.length + " and " + std.length);
        }
        this.mean = mean.clone();
        this.std = std.clone();
        this.table = new float[mean.length][256];
        for (int c = 0; c < mean.length; c++) {
            if (!(std[c] > 0)) {
                throw new IllegalArgumentException("std must be positive, got " + std[c] + " for channel " + c);
            }
            for (int b = 0; b < 256; b++) {
                table[c][b] = (b / 255f - mean[c]) / std[c];
            }
        }
    }

    public int channels() {
        return mean.length;
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }

    /**
     * Converts {@code pixels} (one image, CHW, {@code channels()} planes of equal size) into
     * {@code out} starting at {@code offset}.
     */
    public void apply(byte[] pixels, float[] out, int offset) {
        int plane = pixels.length / mean.length;
        for (int c = 0, i = 0; c < mean.length; c++) {
            float[] t = table[c];
            for (int p = 0; p < plane; p++, i++) {
                out[offset + i] = t[pixels[i] & 0xFF];
            }
        }
    }

    @Override
    public String toString() {
        return "mean " + Arrays.toString(mean) + " std " + Arrays.toString(std);
    }
}
