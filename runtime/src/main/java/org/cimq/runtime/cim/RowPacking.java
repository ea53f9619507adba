package org.cimq.runtime.cim;

/**
 * Lays the input bits one array reads for one output position into 64-bit row words: for each
 * row segment ({@link TileRows}) the run of channels of the input pixel under that kernel offset
 * (nothing where the window falls on padding), plane bit by plane bit.
 */
final class RowPacking {
    private RowPacking() {
    }

    /** Conv geometry of one run; null for a matrix product (one pixel per position). */
    record Geometry(int h, int w, int oh, int ow, int sy, int sx, int dy, int dx, int padTop, int padLeft,
                            int channelsPerGroup) { }

    /** Packs the rows of {@code tile} for one output position into {@code a} from {@code at}, plane bit by plane bit. */
    static void pack(TileRows tile, int g, InputBits in, Geometry geo, int pixelBase, int oy, int ox, long[] a, int at,
                             int words, int planeBits) {
        for (TileRows.Segment seg : tile.segments()) {
            int pixel;
            int srcBit;
            if (geo != null) {
                int yy = oy * geo.sy() - geo.padTop() + seg.ky() * geo.dy();
                int xx = ox * geo.sx() - geo.padLeft() + seg.kx() * geo.dx();
                if (yy < 0 || yy >= geo.h() || xx < 0 || xx >= geo.w()) {
                    continue;
                }
                pixel = pixelBase + yy * geo.w() + xx;
                srcBit = g * geo.channelsPerGroup() + seg.channelLo();
            } else {
                pixel = pixelBase;
                srcBit = seg.channelLo();
            }
            if (in.words == 1) {
                // every channel vector is one word: shift the run into place, straddling two words at most
                long mask = seg.length() == 64 ? -1L : (1L << seg.length()) - 1;
                int dstWord = seg.firstBit() >>> 6;
                int dstShift = seg.firstBit() & 63;
                int src = in.base(pixel, 0);
                for (int q = 0; q < planeBits; q++) {
                    long run = (in.bits[src + q] >>> srcBit) & mask;
                    int d = at + q * words + dstWord;
                    a[d] |= run << dstShift;
                    if (dstShift != 0 && dstShift + seg.length() > 64) {
                        a[d + 1] |= run >>> (64 - dstShift);
                    }
                }
                continue;
            }
            for (int q = 0; q < planeBits; q++) {
                BitCopy.copy(in.bits, in.base(pixel, q), in.words, srcBit, seg.length(), a, at + q * words, seg.firstBit());
            }
        }
    }
}
