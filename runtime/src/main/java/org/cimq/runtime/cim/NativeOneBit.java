package org.cimq.runtime.cim;

import java.lang.ref.Reference;
import org.cimq.runtime.NativeLibrary;
import org.cimq.runtime.NdArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The AVX-512 (VPOPCNTQ) twin of {@link OneBitAccumulate}, in C ({@code runtime/src/main/c/cimq_onebit.c},
 * built into the jar for linux-x86_64 when gcc is present): the same float32 operations in the
 * same order per output element, so the two are bit-identical (FusedLayerEquivalenceTest runs
 * both). It is used where the library loads and the CPU has AVX-512 F/VL/DQ/BW and VPOPCNTDQ,
 * unless {@link CimNative#setEnabled} turned it off or the system property
 * {@code cimq.native=false} is set; {@link CimNative#status()} says which loop runs and why.
 */
final class NativeOneBit {
    static final String LIBRARY = "libcimqonebit.so";
    static final java.util.concurrent.atomic.LongAdder BLOCKS = new java.util.concurrent.atomic.LongAdder();
    private static final String STATUS;
    private static final boolean LOADED;
    private static final int MAX_POSITIONS;
    private static final int MAX_PLANES;

    static {
        String status;
        boolean loaded = false;
        int maxPositions = 0;
        int maxPlanes = 0;
        NativeLibrary.Result lib = NativeLibrary.load(LIBRARY);
        if (!lib.loaded()) {
            status = "java (" + lib.reason() + ")";
        } else if (supported0()) {
            loaded = true;
            maxPositions = maxPositions0();
            maxPlanes = maxPlanes0();
            status = "native avx512-vpopcntdq";
        } else {
            status = "java (this CPU lacks AVX-512 VPOPCNTDQ/VL/DQ/BW)";
        }
        STATUS = status;
        LOADED = loaded;
        MAX_POSITIONS = maxPositions;
        MAX_PLANES = maxPlanes;
    }

    private NativeOneBit() {
    }

    static boolean loaded() {
        return LOADED;
    }

    static String status() {
        return STATUS;
    }

    /** Output positions per native block (0 where the library is not loaded). */
    static int maxPositions() {
        return MAX_POSITIONS;
    }

    /**
     * Every block of output positions [from, to) of a Conv layer, in blocks of {@link #maxPositions()} starting at
     * {@code from}, every group and every tile in order (the first tile {@code fresh}): what {@link #convBlock} does
     * called block by block, in one native call. Positions are numbered {@code b·oh·ow + oy·ow + ox}; {@code out} is
     * [B, channels, oh, ow].
     */
    static void convRange(InputBits in, NativeConvLayer layer, RowPacking.Geometry geo, int from, int to, float[] alpha,
                          float[] out) {
        convRange(in, layer, geo, from, to, alpha, out, 0L, out.length, null, null);
    }

    /**
     * {@link #convRange(InputBits, NativeConvLayer, RowPacking.Geometry, int, int, float[], float[])} with the output
     * written straight into {@code out}, a plain c-order float32 ND4J array of shape [B, channels, oh, ow] (its
     * contents replaced at the positions of the range), and the layer's absorbed Mul and Add applied as the last tile
     * stores each element: {@code y = sum · scale[n] (+ bias[n])} in float32, in that order, as
     * {@link FusedEdges} applies them ({@code scale} null: the sums themselves; {@code bias} only with a scale).
     */
    static void convRange(InputBits in, NativeConvLayer layer, RowPacking.Geometry geo, int from, int to, float[] alpha,
                          INDArray out, float[] scale, float[] bias) {
        if (!NdArrays.isDenseFloat(out) || (scale != null && scale.length != layer.channels)
                || (bias != null && (scale == null || bias.length != layer.channels))) {
            throw new IllegalArgumentException("native conv range: the output is not a plain float32 array, or the"
                    + " output scale or bias does not fit");
        }
        try {
            convRange(in, layer, geo, from, to, alpha, null, out.data().addressPointer().address(), out.length(), scale,
                    bias);
        } finally {
            Reference.reachabilityFence(out);
        }
    }

    private static void convRange(InputBits in, NativeConvLayer layer, RowPacking.Geometry geo, int from, int to,
                                  float[] alpha, float[] out, long outAddress, long outLength, float[] scale, float[] bias) {
        int area = geo.oh() * geo.ow();
        if (in.words != 1 || in.planeBits != layer.planes || geo.h() < 1 || geo.w() < 1 || area < 1 || from < 0 || from > to
                || geo.channelsPerGroup() < 1 || (layer.groups - 1) * geo.channelsPerGroup() + layer.segmentEnd > 64
                || alpha.length < layer.slices * layer.planes) {
            throw new IllegalArgumentException("native conv range called outside its bounds");
        }
        if (from == to) {
            return;
        }
        long images = (to + (long) area - 1) / area;
        if (images * geo.h() * geo.w() * layer.planes > in.bits.length || images * layer.channels * area > outLength
                || (in.planeMajor && images * geo.h() * geo.w() > in.pixels)) {
            throw new IllegalArgumentException("native conv range: positions " + from + ".." + to + " outside the arrays");
        }
        BLOCKS.add((long) ((to - from + MAX_POSITIONS - 1) / MAX_POSITIONS) * layer.groups * layer.tiles);
        int[] g10 = {geo.h(), geo.w(), geo.sy(), geo.sx(), geo.dy(), geo.dx(), geo.padTop(), geo.padLeft(), geo.oh(), geo.ow()};
        convRange0(in.bits, in.planeMajor ? in.pixels : 0, layer.planes, layer.tileInfo, layer.segments, layer.tiles, layer.groups, geo.channelsPerGroup(),
                g10, from, to, layer.masks, layer.maskOffsets, layer.perGroup, layer.slices, layer.values,
                layer.valueOffsets, layer.zero, layer.runs, layer.runStarts, layer.runValues, layer.channels, alpha, out,
                outAddress, scale, bias);
    }

    /** Whether a block of {@code count} positions with {@code planes} planes fits the native loop's buffers. */
    static boolean fits(int count, int planes, int words) {
        return LOADED && count <= MAX_POSITIONS && planes <= MAX_PLANES && (words == 1 || words == 2);
    }

    /**
     * {@link OneBitAccumulate#run} without the zero-plane lists (dense positions; the same sums). With {@code fresh} the
     * block's output elements (channels first..first+perGroup at the positions outBase) are taken as +0 instead of being
     * read: only for a block's first tile into a new (zeroed) array, where they are +0.
     */
    static void run(long[] a, int count, int words, int rows, TileMasks m, int first, int perGroup, int slices, int planes, AdcTables tb,
                    int channels, float[] alpha, float[] out, int[] outBase, int stride, boolean fresh) {
        if (a.length < count * planes * words) {
            throw new IllegalArgumentException("native one-bit loop called outside its bounds");
        }
        checkAccumulate(count, words, rows, m, first, perGroup, slices, planes, tb, channels, alpha, out, outBase, stride);
        BLOCKS.increment();
        accumulate0(a, count, words, planes, m.masks, perGroup, slices, tb.values, tb.zero, tb.runs, tb.runStarts, tb.runValues,
                first, channels, alpha, out, outBase, stride, fresh);
    }

    /**
     * {@link RowPacking#pack} and {@link #run} in one native call for a block of Conv output positions whose input
     * pixels hold all their channels in one word ({@code in.words == 1}): the C side packs the rows of {@code tile}
     * straight into its plane-word-major layout. Same sums, bit for bit; {@code fresh} as in {@link #run}.
     */
    static void convBlock(InputBits in, TileRows tile, int g, RowPacking.Geometry geo, int count, int[] pixelBase, int[] oys,
                          int[] oxs, TileMasks m, int first, int perGroup, int slices, int planes, AdcTables tb, int channels,
                          float[] alpha, float[] out, int[] outBase, int stride, boolean fresh) {
        int words = tile.words();
        int[] segs = tile.segmentTable();
        int nseg = segs.length / 5;
        if (nseg > 128) {
            throw new IllegalArgumentException("native conv block: " + nseg + " row segments, at most 128");
        }
        int srcBase = g * geo.channelsPerGroup();
        // the C loop trusts its indices: check every array bound it will touch
        if (in.words != 1 || in.planeMajor || in.planeBits != planes || count < 1 || count > pixelBase.length || count > oys.length
                || count > oxs.length || geo.h() < 1 || geo.w() < 1 || srcBase < 0) {
            throw new IllegalArgumentException("native conv block called outside its bounds");
        }
        for (int s = 0; s < nseg; s++) {
            int lo = segs[5 * s + 2];
            int len = segs[5 * s + 3];
            int firstBit = segs[5 * s + 4];
            if (len < 1 || len > 64 || lo < 0 || srcBase + lo + len > 64 || firstBit < 0 || firstBit + len > 64 * words) {
                throw new IllegalArgumentException("native conv block: row segment " + s + " outside the packed words");
            }
        }
        long area = (long) geo.h() * geo.w();
        for (int pc = 0; pc < count; pc++) {
            if (pixelBase[pc] < 0 || (pixelBase[pc] + area) * planes > in.bits.length) {
                throw new IllegalArgumentException("native conv block: position " + pc + " reads outside the input bits");
            }
        }
        checkAccumulate(count, words, tile.rows(), m, first, perGroup, slices, planes, tb, channels, alpha, out, outBase, stride);
        BLOCKS.increment();
        int[] g8 = {geo.h(), geo.w(), geo.sy(), geo.sx(), geo.dy(), geo.dx(), geo.padTop(), geo.padLeft()};
        convBlock0(in.bits, planes, segs, nseg, srcBase, g8, count, pixelBase, oys, oxs, words, m.masks, perGroup, slices,
                tb.values, tb.zero, tb.runs, tb.runStarts, tb.runValues, first, channels, alpha, out, outBase, stride, fresh);
    }

    /**
     * {@link FusedEdges#quantize} and {@link InputBits#fillConv} for images [from, to) of {@code x} [B, C, H·W] in one
     * native pass, for unsigned codes applied one bit per plane ({@link InputBits.Digits#unsignedBits}); the same
     * codes and bits, every word of those images written whole (the words need not be clear). An element that cannot be coded (NaN, or a code that is not an integer in range) gets the Java
     * side's own error. Only {@code x} is left as it was (the codes are not written back).
     */
    static void fillConv(InputBits in, float[] x, int from, int to, int c, int hw, InputBits.Digits d, FusedEdges edges) {
        int planes = d.planeBits();
        if (!d.unsignedBits() || in.planeBits != planes || planes > MAX_PLANES || in.words != (c + 63) / 64 || from < 0
                || from > to || (long) to * c * hw > x.length || (long) to * hw * planes * in.words > in.bits.length || hw < 1
                || in.planeMajor) {
            throw new IllegalArgumentException("native input fill called outside its bounds");
        }
        long bad = fillConvUnsigned0(x, from, to, c, hw, planes, edges.quantizes(), edges.inputScale(), edges.lo(), edges.hi(),
                in.bits);
        if (bad >= 0) {
            int i = (int) bad;
            float v = x[i];
            if (edges.quantizes()) {
                edges.quantize(x.clone(), i, i + 1); // throws the NaN error, naming element i
            } else {
                d.of(v); // throws the code error
            }
            throw new IllegalStateException("native input fill refused element " + i + " = " + v + " that Java accepts");
        }
    }

    /**
     * {@link #fillConv(InputBits, float[], int, int, int, int, InputBits.Digits, FusedEdges)} reading the activations
     * from {@code x}, a plain c-order float32 ND4J array ({@code FloatArrays.plainFloat}), by address: the same codes and
     * bits and the same errors, without copying the activations into a Java array first.
     */
    static void fillConv(InputBits in, INDArray x, int from, int to, int c, int hw, InputBits.Digits d, FusedEdges edges) {
        int planes = d.planeBits();
        if (!d.unsignedBits() || in.planeBits != planes || planes > MAX_PLANES || in.words != (c + 63) / 64 || from < 0
                || from > to || (long) to * c * hw > x.length() || (long) to * hw * planes * in.words > in.bits.length || hw < 1
                || x.dataType() != DataType.FLOAT || x.ordering() != 'c' || x.isView() || x.offset() != 0
                || (in.planeMajor && ((long) to * hw > in.pixels || (long) in.pixels * planes > in.bits.length))) {
            throw new IllegalArgumentException("native input fill called outside its bounds");
        }
        long bad;
        try {
            bad = fillConvUnsignedAt0(x.data().addressPointer().address(), from, to, c, hw, planes, edges.quantizes(),
                    edges.inputScale(), edges.lo(), edges.hi(), in.bits, in.planeMajor ? in.pixels : 0);
        } finally {
            Reference.reachabilityFence(x);
        }
        if (bad >= 0) {
            float v = x.data().getFloat(bad);
            if (edges.quantizes() && Float.isNaN(v)) {
                throw edges.nanInput(bad);
            } else if (!edges.quantizes()) {
                d.of(v); // throws the code error
            }
            throw new IllegalStateException("native input fill refused element " + bad + " = " + v + " that Java accepts");
        }
    }

    /** The bounds the accumulation loop relies on (it trusts its indices). */
    private static void checkAccumulate(int count, int words, int rows, TileMasks m, int first, int perGroup, int slices,
                                        int planes, AdcTables tb, int channels, float[] alpha, float[] out, int[] outBase,
                                        int stride) {
        int lastOffset = (first + perGroup - 1) * stride;
        int maxBase = 0;
        int minBase = Integer.MAX_VALUE;
        for (int pc = 0; pc < count; pc++) {
            maxBase = Math.max(maxBase, outBase[pc]);
            minBase = Math.min(minBase, outBase[pc]);
        }
        if (!fits(count, planes, words) || count < 1 || perGroup < 1 || outBase.length < count
                || minBase + first * stride < 0 || (long) maxBase + lastOffset >= out.length
                || rows < 1 || rows > 64 * words || m.words != words || m.magnitudeBits != 1 || m.masks.length < perGroup * slices * 2 * words
                || alpha.length < slices * planes || tb.zero.length < slices * channels || first + perGroup > channels
                || tb.runs.length < slices * channels || tb.runStarts.length < slices * channels * (AdcTables.MAX_RUNS - 1)
                || tb.runValues.length < slices * channels * AdcTables.MAX_RUNS) {
            throw new IllegalArgumentException("native one-bit loop called outside its bounds");
        }
        int span = rows;
        for (int j = 0; j < slices; j++) {
            for (int nl = 0; nl < perGroup; nl++) {
                int z = tb.zero[j * channels + first + nl];
                if (z - span < 0 || z + span >= tb.values.length) {
                    throw new IllegalArgumentException("native one-bit loop: ADC table too short for " + span + " rows");
                }
            }
        }
    }

    private static native boolean supported0();

    private static native long fillConvUnsigned0(float[] x, int from, int to, int c, int hw, int planes, boolean quantize,
                                                 float scale, float lo, float hi, long[] bits);

    private static native long fillConvUnsignedAt0(long x, int from, int to, int c, int hw, int planes, boolean quantize,
                                                   float scale, float lo, float hi, long[] bits, long planeStride);

    private static native int maxPositions0();

    private static native int maxPlanes0();

    private static native void accumulate0(long[] a, int count, int words, int planes, long[] masks, int perGroup, int slices,
                                           float[] table, int[] zero, int[] runs, int[] runStarts, float[] runValues,
                                           int first, int channels, float[] alpha, float[] out, int[] outBase, int stride,
                                           boolean fresh);

    private static native void convRange0(long[] bits, long planeStride, int planes, int[] tileInfo, int[] segments, int tiles, int groups,
                                          int channelsPerGroup, int[] geo, int from, int to, long[] masks, int[] maskOffsets,
                                          int perGroup, int slices, float[] values, int[] valueOffsets, int[] zero,
                                          int[] runs, int[] runStarts, float[] runValues, int channels, float[] alpha,
                                          float[] out, long outAddress, float[] scale, float[] bias);

    private static native void convBlock0(long[] bits, int planes, int[] segs, int nseg, int srcBase, int[] geo, int count,
                                          int[] pixelBase, int[] oys, int[] oxs, int words, long[] masks, int perGroup,
                                          int slices, float[] table, int[] zero, int[] runs, int[] runStarts,
                                          float[] runValues, int first, int channels, float[] alpha, float[] out,
                                          int[] outBase, int stride, boolean fresh);
}
