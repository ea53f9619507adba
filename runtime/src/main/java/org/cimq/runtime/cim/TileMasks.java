package org.cimq.runtime.cim;

import org.cimq.runtime.KernelException;

/**
 * One array's weight digits as bit masks, for one group of output channels: a digit s of
 * slice j in row k contributes |s| = Σ_e 2^e·bit_e to the positive masks (s > 0) or negative
 * masks (s < 0) of bit e, so that ps = Σ_e 2^e (popcount(a ∧ pos_e) − popcount(a ∧ neg_e)) over
 * the row words for a one-bit input vector a. Layout: {@code ((n·J + j)·E + e)·2W + sign·W + w}
 * for local output channel n, slice j, magnitude bit e, sign 0 (positive) / 1 (negative), word w.
 */
final class TileMasks {
    final long[] masks;
    final int channels;
    final int slices;
    final int magnitudeBits;
    final int words;

    private TileMasks(int channels, int slices, int magnitudeBits, int words) {
        this.channels = channels;
        this.slices = slices;
        this.magnitudeBits = magnitudeBits;
        this.words = words;
        this.masks = new long[channels * slices * magnitudeBits * 2 * words];
    }

    int base(int n, int j, int e, int sign) {
        return (((n * slices + j) * magnitudeBits + e) * 2 + sign) * words;
    }

    /** The digit of slice j, output channel n (absolute), at the tile row of {@code seg} for channel c. */
    @FunctionalInterface
    interface Digits {
        int at(int j, int n, TileRows.Segment seg, int c);
    }

    /** Masks of output channels [firstChannel, firstChannel + channels) over the rows of {@code tile}. */
    static TileMasks of(TileRows tile, int firstChannel, int channels, int slices, int magnitudeBits, Digits digits) {
        TileMasks m = new TileMasks(channels, slices, magnitudeBits, tile.words());
        for (int n = 0; n < channels; n++) {
            for (int j = 0; j < slices; j++) {
                for (TileRows.Segment seg : tile.segments()) {
                    for (int c = seg.channelLo(); c < seg.channelHi(); c++) {
                        int s = digits.at(j, firstChannel + n, seg, c);
                        if (s == 0) {
                            continue;
                        }
                        int mag = Math.abs(s);
                        if (mag >= 1 << magnitudeBits) {
                            throw new KernelException("weight digit " + s + " needs more than " + magnitudeBits + " bits");
                        }
                        int row = seg.firstBit() + c - seg.channelLo();
                        for (int e = 0; e < magnitudeBits; e++) {
                            if ((mag >>> e & 1) != 0) {
                                m.masks[m.base(n, j, e, s > 0 ? 0 : 1) + (row >>> 6)] |= 1L << (row & 63);
                            }
                        }
                    }
                }
            }
        }
        return m;
    }
}
