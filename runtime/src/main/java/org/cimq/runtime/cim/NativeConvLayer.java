package org.cimq.runtime.cim;

/**
 * A Conv layer's row tiles, weight masks and ADC tables laid end to end for {@link NativeOneBit#convRange}, which runs
 * the whole block loop of a range of output positions (every block, group and tile) in one native call. Built once per
 * layer, and only where every tile qualifies for the native conv block (one-bit weight digits, at most two row words,
 * at most 128 row segments): {@link #of} returns null otherwise. Every index the
 * C loop will compute from these tables is checked here, once.
 */
final class NativeConvLayer {
    final int tiles;
    final int groups;
    final int perGroup;
    final int slices;
    final int planes;
    final int channels;
    /** One past the highest group-relative input channel any row segment reads. */
    final int segmentEnd;
    /** Per tile: its words, its segment count, its first segment's offset in {@link #segments}. */
    final int[] tileInfo;
    final int[] segments;
    final long[] masks;
    /** First mask of group g, tile t at [g · tiles + t]. */
    final int[] maskOffsets;
    final float[] values;
    /** Start of tile t's ADC values in {@link #values} (its zero indices are relative to it). */
    final int[] valueOffsets;
    final int[] zero;
    final int[] runs;
    final int[] runStarts;
    final float[] runValues;

    private NativeConvLayer(TileRows[] tiles, TileMasks[][] masks, AdcTables[] tables, int slices, int planes, int channels,
                            int segmentEnd) {
        this.tiles = tiles.length;
        this.groups = masks.length;
        this.perGroup = channels / groups;
        this.slices = slices;
        this.planes = planes;
        this.channels = channels;
        this.segmentEnd = segmentEnd;
        this.tileInfo = new int[3 * this.tiles];
        int segInts = 0;
        int valueCount = 0;
        for (int t = 0; t < this.tiles; t++) {
            tileInfo[3 * t] = tiles[t].words();
            tileInfo[3 * t + 1] = tiles[t].segmentTable().length / 5;
            tileInfo[3 * t + 2] = segInts;
            segInts += tiles[t].segmentTable().length;
            valueCount += tables[t].values.length;
        }
        this.segments = new int[segInts];
        for (int t = 0; t < this.tiles; t++) {
            int[] s = tiles[t].segmentTable();
            System.arraycopy(s, 0, segments, tileInfo[3 * t + 2], s.length);
        }
        this.maskOffsets = new int[groups * this.tiles];
        int maskCount = 0;
        for (int g = 0; g < groups; g++) {
            for (int t = 0; t < this.tiles; t++) {
                maskOffsets[g * this.tiles + t] = maskCount;
                maskCount += masks[g][t].masks.length;
            }
        }
        this.masks = new long[maskCount];
        for (int g = 0; g < groups; g++) {
            for (int t = 0; t < this.tiles; t++) {
                long[] m = masks[g][t].masks;
                System.arraycopy(m, 0, this.masks, maskOffsets[g * this.tiles + t], m.length);
            }
        }
        int jc = slices * channels;
        this.values = new float[valueCount];
        this.valueOffsets = new int[this.tiles];
        this.zero = new int[this.tiles * jc];
        this.runs = new int[this.tiles * jc];
        this.runStarts = new int[this.tiles * jc * (AdcTables.MAX_RUNS - 1)];
        this.runValues = new float[this.tiles * jc * AdcTables.MAX_RUNS];
        int v = 0;
        for (int t = 0; t < this.tiles; t++) {
            AdcTables tb = tables[t];
            valueOffsets[t] = v;
            System.arraycopy(tb.values, 0, values, v, tb.values.length);
            v += tb.values.length;
            System.arraycopy(tb.zero, 0, zero, t * jc, jc);
            System.arraycopy(tb.runs, 0, runs, t * jc, jc);
            System.arraycopy(tb.runStarts, 0, runStarts, t * jc * (AdcTables.MAX_RUNS - 1), jc * (AdcTables.MAX_RUNS - 1));
            System.arraycopy(tb.runValues, 0, runValues, t * jc * AdcTables.MAX_RUNS, jc * AdcTables.MAX_RUNS);
        }
    }

    /**
     * The layer's tables for the native range loop, or null where some tile does not qualify (the Java block loop
     * then runs). Whether the input's channels fit one word is checked per call ({@link NativeOneBit#convRange}).
     */
    static NativeConvLayer of(TileRows[] tiles, TileMasks[][] masks, AdcTables[] tables, int slices, int planes, int channels) {
        int groups = masks.length;
        if (!NativeOneBit.loaded() || tiles.length == 0 || groups < 1 || channels % groups != 0
                || !NativeOneBit.fits(NativeOneBit.maxPositions(), planes, 1)) {
            return null;
        }
        int segmentEnd = 0;
        int perGroup = channels / groups;
        int jc = slices * channels;
        for (int t = 0; t < tiles.length; t++) {
            TileRows tile = tiles[t];
            int words = tile.words();
            int[] segs = tile.segmentTable();
            int nseg = segs.length / 5;
            AdcTables tb = tables[t];
            if (words < 1 || words > 2 || nseg < 1 || nseg > 128 || tile.rows() < 1 || tile.rows() > 64 * words
                    || tb.zero.length < jc || tb.runs.length < jc || tb.runStarts.length < jc * (AdcTables.MAX_RUNS - 1)
                    || tb.runValues.length < jc * AdcTables.MAX_RUNS) {
                return null;
            }
            for (int g = 0; g < groups; g++) {
                TileMasks m = masks[g][t];
                if (m.magnitudeBits != 1 || m.words != words || m.masks.length < perGroup * slices * 2 * words) {
                    return null;
                }
                for (int s = 0; s < nseg; s++) {
                    int lo = segs[5 * s + 2];
                    int len = segs[5 * s + 3];
                    int firstBit = segs[5 * s + 4];
                    if (len < 1 || len > 64 || lo < 0 || lo + len > 64 || firstBit < 0 || firstBit + len > 64 * words) {
                        return null;
                    }
                    segmentEnd = Math.max(segmentEnd, lo + len);
                }
            }
            // the ADC values the loop may read: zero[column] + ps for |ps| <= rows
            for (int c = 0; c < jc; c++) {
                int z = tb.zero[c];
                if (z - tile.rows() < 0 || z + tile.rows() >= tb.values.length) {
                    return null;
                }
            }
        }
        return new NativeConvLayer(tiles, masks, tables, slices, planes, channels, segmentEnd);
    }
}
