package org.cimq.runtime.cim;

import org.cimq.runtime.KernelException;

/**
 * A layer's integer input codes re-laid for bit-packed partial sums: for every input pixel
 * (Conv: batch × height × width; Gemm/MatMul: every row of the input matrix) and every plane
 * bit q = i·D + b (bit b of the D-bit digit that plane i applies, {@link InputMode}), one bit
 * vector over the input channels (features), {@code words} 64-bit words long. The digits are
 * exactly those {@code CimBitPlanes} produces.
 */
final class InputBits {
    final long[] bits;
    final int pixels;
    final int planeBits;
    final int channels;
    final int words;
    /**
     * Plane-major layout (only with one word of channels): plane bit q of pixel p at {@code bits[q · pixels + p]},
     * written and read by the native range loop alone ({@link NativeOneBit#convRange}); the Java loops read the
     * pixel-major layout ({@link #base}).
     */
    final boolean planeMajor;

    private InputBits(int pixels, int planeBits, int channels, long[] bits, boolean planeMajor) {
        this.pixels = pixels;
        this.planeBits = planeBits;
        this.channels = channels;
        this.words = (channels + 63) >>> 6;
        int size = size(pixels, planeBits, channels);
        if (bits != null && bits.length != size) {
            throw new IllegalArgumentException("bit planes of " + size + " words given " + bits.length);
        }
        this.bits = bits != null ? bits : new long[size];
        this.planeMajor = planeMajor;
        if (planeMajor && words != 1) {
            throw new IllegalArgumentException("plane-major bits need at most 64 channels, got " + channels);
        }
    }

    /** Words of the bit planes of {@code pixels} pixels: {@code pixels · planeBits · ceil(channels / 64)}. */
    private static int size(int pixels, int planeBits, int channels) {
        long size = (long) pixels * planeBits * ((channels + 63) >>> 6);
        if (size > Integer.MAX_VALUE - 8) {
            throw new KernelException("input bit planes of " + pixels + " pixels x " + planeBits + " bits x " + channels
                    + " channels exceed one Java array; use a smaller batch");
        }
        return (int) size;
    }

    /** Start of the channel vector of {@code pixel} and plane bit {@code q} (pixel-major layout). */
    int base(int pixel, int q) {
        return (pixel * planeBits + q) * words;
    }

    /** Empty bit planes for codes [B, C, H, W], filled by {@link #fillConv}. */
    static InputBits conv(int batch, int c, int h, int w, Digits d) {
        return new InputBits(batch * h * w, d.planeBits(), c, null, false);
    }

    /**
     * As {@link #conv(int, int, int, int, Digits)}, in {@code bits} (from {@link #convSize}; it must be all zero unless
     * every word of it is written before it is read, as the native fill does), plane-major where {@code planeMajor}.
     */
    static InputBits conv(int batch, int c, int h, int w, Digits d, long[] bits, boolean planeMajor) {
        return new InputBits(batch * h * w, d.planeBits(), c, bits, planeMajor);
    }

    /** The length of the bits array of {@link #conv}. */
    static int convSize(int batch, int c, int h, int w, Digits d) {
        return size(batch * h * w, d.planeBits(), c);
    }

    /** Sets the bits of images [from, to) of codes [B, C, H·W] (c order); disjoint ranges may fill at once. */
    void fillConv(float[] codes, int from, int to, int c, int hw, Digits d) {
        for (int b = from; b < to; b++) {
            for (int ch = 0; ch < c; ch++) {
                int src = (b * c + ch) * hw;
                int word = ch >>> 6;
                long mask = 1L << (ch & 63);
                for (int k = 0; k < hw; k++) {
                    float v = codes[src + k];
                    if (v != 0) {
                        set(b * hw + k, word, mask, d.of(v));
                    }
                }
            }
        }
    }

    /** Empty bit planes for codes [M, K], filled by {@link #fillMatrix}. */
    static InputBits matrix(int m, int k, Digits d) {
        return new InputBits(m, d.planeBits(), k, null, false);
    }

    /** Sets the bits of rows [from, to) of codes [M, K] (c order); disjoint ranges may fill at once. */
    void fillMatrix(float[] codes, int from, int to, int k, Digits d) {
        for (int row = from; row < to; row++) {
            int src = row * k;
            for (int f = 0; f < k; f++) {
                float v = codes[src + f];
                if (v != 0) {
                    set(row, f >>> 6, 1L << (f & 63), d.of(v));
                }
            }
        }
    }

    /** Sets the channel bit ({@code word}, {@code mask}) of {@code pixel} in every plane bit set in {@code planeBitSet}. */
    private void set(int pixel, int word, long mask, long planeBitSet) {
        int base = pixel * planeBits * words + word;
        while (planeBitSet != 0) {
            int q = Long.numberOfTrailingZeros(planeBitSet);
            bits[base + q * words] |= mask;
            planeBitSet &= planeBitSet - 1;
        }
    }

    /** How codes become plane bits: the digits of {@link InputMode} for B-bit codes, d bits per plane. */
    static final class Digits {
        private final InputMode mode;
        private final int bits;
        private final int dacBits;
        private final int planes;
        private final String who;
        /** {@link #of} of every code from min to max, for codes of up to 12 bits (else computed per code). */
        private final long[] table;

        Digits(InputMode mode, int bits, int dacBits, String who) {
            this.mode = mode;
            this.bits = bits;
            this.dacBits = dacBits;
            this.planes = mode.planes(bits, dacBits);
            this.who = who;
            if (planes * dacBits > 64) {
                throw new KernelException(who + ": " + planes + " planes of " + dacBits + " bits exceed 64 plane bits");
            }
            long lo = (long) mode.min(bits);
            long span = (long) mode.max(bits) - lo + 1;
            this.table = span <= 4096 ? new long[(int) span] : null;
            for (int i = 0; table != null && i < table.length; i++) {
                table[i] = digitsOf(lo + i);
            }
        }

        int planes() {
            return planes;
        }

        /** Unsigned codes applied one bit per plane: plane bit q is bit q of the code. */
        boolean unsignedBits() {
            return mode == InputMode.UNSIGNED && dacBits == 1;
        }

        int planeBits() {
            return planes * dacBits;
        }

        /** The smallest and largest code, as {@link QuantizeInputKernel} clamps to them. */
        float min() {
            return mode.min(bits);
        }

        float max() {
            return mode.max(bits);
        }

        /** Bit q = i·d + b set when bit b of plane i's digit is set. */
        long of(float code) {
            long a = (long) code;
            if (a != code || a < mode.min(bits) || a > mode.max(bits)) {
                throw new KernelException(who + ": input code " + code + " is not an integer in [" + mode.min(bits) + ", "
                        + mode.max(bits) + "]");
            }
            if (table != null) {
                return table[(int) (a - mode.min(bits))];
            }
            return digitsOf(a);
        }

        private long digitsOf(long a) {
            if (mode == InputMode.UNSIGNED) {
                return a;
            }
            long set = 0;
            for (int p = 0; p < planes; p++) {
                set |= mode.digit(a, p, bits, dacBits) << (p * dacBits);
            }
            return set;
        }
    }
}
