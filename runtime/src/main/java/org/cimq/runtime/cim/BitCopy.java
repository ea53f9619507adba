package org.cimq.runtime.cim;

/** Copies runs of bits between little-endian bit vectors stored in {@code long[]} words. */
final class BitCopy {
    private BitCopy() {
    }

    /**
     * ORs {@code length} bits of {@code src} (vector of {@code srcWords} words at {@code srcBase},
     * starting at bit {@code srcBit}) into {@code dst} (vector at {@code dstBase}) from bit
     * {@code dstBit}. The destination bits must be zero before.
     */
    static void copy(long[] src, int srcBase, int srcWords, int srcBit, int length, long[] dst, int dstBase, int dstBit) {
        while (length > 0) {
            int word = srcBit >>> 6;
            int shift = srcBit & 63;
            long window = src[srcBase + word] >>> shift;
            if (shift != 0 && word + 1 < srcWords) {
                window |= src[srcBase + word + 1] << (64 - shift);
            }
            int dstShift = dstBit & 63;
            int take = Math.min(length, Math.min(64 - dstShift, 64 - (shift == 0 || word + 1 < srcWords ? 0 : shift)));
            long bits = take == 64 ? window : window & ((1L << take) - 1);
            dst[dstBase + (dstBit >>> 6)] |= bits << dstShift;
            srcBit += take;
            dstBit += take;
            length -= take;
        }
    }
}
