package org.cimq.runtime.cim;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows one memory array holds, in the order the bit-packed kernel lays them into 64-bit
 * words. A partial sum is a sum over the array's rows, so any fixed order gives the same
 * integer; this one groups rows by kernel offset so that packing copies runs of consecutive
 * input channels of one input pixel. For a Conv with kernel kh×kw (area A), layer row r is input
 * channel r / A (relative to the group) at offset r % A = ky·kw + kx; a Gemm/MatMul row is one
 * input feature at offset 0.
 */
final class TileRows {
    /** Input channels [channelLo, channelHi) (group-relative) at kernel offset (ky, kx), packed from bit {@code firstBit}. */
    record Segment(int ky, int kx, int channelLo, int channelHi, int firstBit) {
        int length() {
            return channelHi - channelLo;
        }
    }

    private final List<Segment> segments;
    private final int rows;
    private final int[] segmentTable;

    private TileRows(List<Segment> segments, int rows) {
        this.segments = List.copyOf(segments);
        this.rows = rows;
        this.segmentTable = new int[5 * segments.size()];
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            System.arraycopy(new int[] {s.ky(), s.kx(), s.channelLo(), s.length(), s.firstBit()}, 0, segmentTable, 5 * i, 5);
        }
    }

    /** The array holding layer rows [rowStart, rowEnd) of a Conv with kernel kh×kw. */
    static TileRows conv(int rowStart, int rowEnd, int kh, int kw) {
        int area = kh * kw;
        List<Segment> s = new ArrayList<>();
        int bit = 0;
        for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
                int offset = ky * kw + kx;
                int lo = Math.max(0, ceilDiv(rowStart - offset, area));
                int hi = ceilDiv(rowEnd - offset, area);
                if (hi > lo) {
                    s.add(new Segment(ky, kx, lo, hi, bit));
                    bit += hi - lo;
                }
            }
        }
        return new TileRows(s, bit);
    }

    /** The array holding input features [rowStart, rowEnd) of a Gemm/MatMul. */
    static TileRows matmul(int rowStart, int rowEnd) {
        return new TileRows(List.of(new Segment(0, 0, rowStart, rowEnd, 0)), rowEnd - rowStart);
    }

    List<Segment> segments() {
        return segments;
    }

    /** The segments as five ints each (ky, kx, channelLo, length, firstBit), as the native kernel reads them; do not modify. */
    int[] segmentTable() {
        return segmentTable;
    }

    int rows() {
        return rows;
    }

    /** 64-bit words per packed row vector. */
    int words() {
        return (rows + 63) >>> 6;
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
