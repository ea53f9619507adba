package org.cimq.runtime.cim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.cimq.ir.Attr;
import org.cimq.ir.Node;
import org.cimq.runtime.KernelException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The native one-bit loop ({@link NativeOneBit}) against the Java loop ({@link OneBitAccumulate}):
 * loaded wherever this machine can run it (so a build that lost the library fails here), and
 * bit-identical on random blocks (one and two words, partial blocks, zero planes, zero-tread and
 * mid-rise tables of 2 to 16 levels and no ADC, so every ADC form of the native loop, several steps per array), and
 * refusing calls outside its bounds.
 */
class CimNativeTest {
    private static final List<String> FLAGS = List.of("avx512f", "avx512vl", "avx512dq", "avx512bw", "avx512_vpopcntdq");

    /** Whether this machine is one the native loop is built and meant for. */
    private static boolean nativeMachine() throws IOException {
        if (!System.getProperty("os.name").toLowerCase().startsWith("linux") || !System.getProperty("os.arch").equals("amd64")) {
            return false;
        }
        String flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("flags")).findFirst()
                .orElse("");
        List<String> have = Arrays.asList(flags.substring(flags.indexOf(':') + 1).trim().split("\\s+"));
        return have.containsAll(FLAGS);
    }

    @Test
    void theNativeLoopIsLoadedWhereTheCpuSupportsItElseTheStatusSaysWhy() throws IOException {
        if (nativeMachine()) {
            assertTrue(CimNative.available(), "AVX-512 VPOPCNTDQ machine but: " + CimNative.status());
            assertEquals("native avx512-vpopcntdq", CimNative.status());
        } else {
            assertTrue(!CimNative.available() && CimNative.status().startsWith("java ("), CimNative.status());
        }
    }

    @Test
    void nativeAndJavaLoopsAreBitIdentical() throws IOException {
        if (!nativeMachine()) {
            // nothing native to compare on this machine: the Java loop is the only one, and it must be the one in use
            assertTrue(!CimNative.active(), CimNative.status());
            return;
        }
        Random r = new Random(7);
        int blocks = 0;
        for (int rows : new int[] {128, 100, 64, 33, 7}) {
            for (int count : new int[] {32, 13, 1, 64}) {
                for (boolean midRise : new boolean[] {false, true}) {
                    for (int planes : new int[] {4, 8}) {
                        // every ADC form of the native loop: masked adds for 2 and 3 runs (zero middle run or not), step
                        // functions of <= 4 and <= 8 runs, the gather and the identity
                        int levels = (midRise ? MID_RISE_LEVELS : ZERO_TREAD_LEVELS)[blocks % 5];
                        compare(r, rows, count, planes, midRise, levels);
                        blocks++;
                    }
                }
            }
        }
        assertEquals(80, blocks);
    }

    /**
     * The native input fill (quantizer + bit planes in one pass) against {@link FusedEdges#quantize} plus
     * {@link InputBits#fillConv}: quantizing or reading codes, one and two words of channels, pixel counts that
     * are not a multiple of 8, an image sub-range, values on rounding midpoints and beyond the clamp; and the
     * same errors for a NaN and for a code out of range.
     */
    @Test
    void nativeInputFillEqualsJavaQuantizerAndBits() throws IOException {
        if (!nativeMachine()) {
            assertTrue(!CimNative.active(), CimNative.status());
            return;
        }
        Random r = new Random(5);
        int cases = 0;
        for (int c : new int[] {16, 3, 64, 70, 130}) {
            for (int hw : new int[] {1, 7, 64, 13}) {
                for (boolean quantize : new boolean[] {true, false}) {
                    for (int bits : new int[] {4, 2, 8}) {
                        InputBits.Digits d = new InputBits.Digits(InputMode.UNSIGNED, bits, 1, "test");
                        int batch = 3;
                        float scale = 0.37f;
                        float[] x = new float[batch * c * hw];
                        for (int i = 0; i < x.length; i++) {
                            int kind = r.nextInt(5);
                            x[i] = !quantize ? r.nextInt((1 << bits)) : kind == 0 ? 0f : kind == 1 ? -r.nextFloat()
                                    : kind == 2 ? (r.nextInt(2 * (1 << bits)) + 0.5f) * scale : r.nextFloat() * scale * (1 << bits) * 1.3f;
                        }
                        Node n = new Node("t", CimOps.FUSED_LAYER, CimOps.DOMAIN);
                        if (quantize) {
                            n.setAttr("input_scale", new Attr.FloatAttr(scale));
                        }
                        FusedEdges edges = new FusedEdges(n, d.min(), d.max());
                        InputBits want = InputBits.conv(batch, c, hw, 1, d);
                        float[] q = x.clone();
                        edges.quantize(q, c * hw, 3 * c * hw);
                        want.fillConv(q, 1, 3, c, hw, d);
                        // the filled images' words hold garbage first: the native fill writes them whole
                        InputBits got = InputBits.conv(batch, c, hw, 1, d);
                        for (int i = got.base(hw, 0); i < got.base(3 * hw, 0); i++) {
                            got.bits[i] = r.nextLong();
                        }
                        float[] before = x.clone();
                        NativeOneBit.fillConv(got, x, 1, 3, c, hw, d, edges);
                        String what = "c " + c + ", hw " + hw + ", quantize " + quantize + ", bits " + bits;
                        assertArrayEquals(want.bits, got.bits, what);
                        assertArrayEquals(before, x, what + ": the input changed");
                        assertTrue(Arrays.stream(got.bits).anyMatch(v -> v != 0), what + ": no bit set");
                        // the same fill reading the activations from ND4J's memory by address
                        InputBits byAddress = InputBits.conv(batch, c, hw, 1, d);
                        for (int i = 0; i < byAddress.bits.length; i++) {
                            byAddress.bits[i] = r.nextLong();
                        }
                        System.arraycopy(want.bits, 0, byAddress.bits, 0, want.base(hw, 0));
                        NativeOneBit.fillConv(byAddress, Nd4j.create(x.clone(), new long[] {batch, c, hw}, 'c'), 1, 3, c, hw, d,
                                edges);
                        assertArrayEquals(want.bits, byAddress.bits, what + " (by address)");
                        cases++;
                    }
                }
            }
        }
        assertEquals(120, cases);
        InputBits.Digits d = new InputBits.Digits(InputMode.UNSIGNED, 4, 1, "test");
        Node n = new Node("t", CimOps.FUSED_LAYER, CimOps.DOMAIN);
        n.setAttr("input_scale", new Attr.FloatAttr(0.5f));
        float[] x = new float[2 * 3 * 9];
        x[37] = Float.NaN;
        KernelException nan = assertThrows(KernelException.class,
                () -> NativeOneBit.fillConv(InputBits.conv(2, 3, 9, 1, d), x, 0, 2, 3, 9, d, new FusedEdges(n, d.min(), d.max())));
        assertTrue(nan.getMessage().contains("input value 37 is NaN"), nan.getMessage());
        KernelException nanAt = assertThrows(KernelException.class, () -> NativeOneBit.fillConv(InputBits.conv(2, 3, 9, 1, d),
                Nd4j.create(x, new long[] {2, 3, 9}, 'c'), 0, 2, 3, 9, d, new FusedEdges(n, d.min(), d.max())));
        assertEquals(nan.getMessage(), nanAt.getMessage());
        float[] codes = new float[2 * 3 * 9];
        codes[40] = 16;
        KernelException range = assertThrows(KernelException.class, () -> NativeOneBit.fillConv(InputBits.conv(2, 3, 9, 1, d),
                codes, 0, 2, 3, 9, d, new FusedEdges(new Node("t", CimOps.FUSED_LAYER, CimOps.DOMAIN), d.min(), d.max())));
        assertTrue(range.getMessage().contains("input code 16.0 is not an integer in [0, 15]"), range.getMessage());
        KernelException rangeAt = assertThrows(KernelException.class, () -> NativeOneBit.fillConv(InputBits.conv(2, 3, 9, 1, d),
                Nd4j.create(codes, new long[] {2, 3, 9}, 'c'), 0, 2, 3, 9, d,
                new FusedEdges(new Node("t", CimOps.FUSED_LAYER, CimOps.DOMAIN), d.min(), d.max())));
        assertEquals(range.getMessage(), rangeAt.getMessage());
        // a view (not plain c-order memory) is refused, not read
        assertThrows(IllegalArgumentException.class, () -> NativeOneBit.fillConv(InputBits.conv(1, 3, 9, 1, d),
                Nd4j.create(codes, new long[] {2, 3, 9}, 'c').get(NDArrayIndex.point(1)).reshape(1, 3, 9), 0, 1, 3, 9, d,
                new FusedEdges(new Node("t", CimOps.FUSED_LAYER, CimOps.DOMAIN), d.min(), d.max())));
    }

    /** 0: no ADC (the identity table). */
    private static final int[] ZERO_TREAD_LEVELS = {3, 5, 16, 2, 0};
    /** Mid-rise L = 3 is the three-run table whose middle run is not zero (the identity is covered by zero-tread's 0). */
    private static final int[] MID_RISE_LEVELS = {4, 8, 16, 2, 3};

    private static void compare(Random r, int rows, int count, int planes, boolean midRise, int levels) {
        int slices = 3;
        int channels = 6;
        int first = 2;
        int perGroup = 3;
        TileRows tile = TileRows.matmul(0, rows);
        int words = tile.words();
        TileMasks m = TileMasks.of(tile, first, perGroup, slices, 1, (j, n, seg, c) -> r.nextInt(3) - 1);
        float[] steps = new float[slices * channels];
        for (int i = 0; i < steps.length; i++) {
            // 1000: a column whose ADC is one run (all zero) beside columns of L runs in the same block
            steps[i] = new float[] {1f, 2.5f, 3.3f, 0.7f, 1000f}[r.nextInt(5)];
        }
        AdcTables tb = levels == 0 ? AdcTables.identity(steps.length, rows) : AdcTables.of(levels, steps, midRise, rows);
        long[] a = new long[count * planes * words];
        for (int pc = 0; pc < count; pc++) {
            for (int i = 0; i < planes; i++) {
                if (r.nextInt(3) == 0) {
                    continue; // an all-zero plane
                }
                for (int w = 0; w < words; w++) {
                    int bits = Math.min(64, rows - 64 * w);
                    long mask = bits == 64 ? -1L : (1L << bits) - 1;
                    a[(pc * planes + i) * words + w] = r.nextLong() & r.nextLong() & mask;
                }
            }
        }
        float[] alpha = new float[slices * planes];
        for (int i = 0; i < alpha.length; i++) {
            alpha[i] = (float) (Math.scalb(1.0, i % planes) * (1 + r.nextInt(3)) / 3.0);
        }
        int stride = count + 3;
        int[] outBase = new int[count];
        for (int pc = 0; pc < count; pc++) {
            outBase[pc] = pc + (pc >= count / 2 ? 2 : 0); // distinct, as positions of one block are
        }
        float[] start = new float[channels * stride + 2];
        for (int i = 0; i < start.length; i++) {
            start[i] = r.nextInt(4) == 0 ? 0f : (float) r.nextGaussian();
        }
        float[] java = start.clone();
        float[] nat = start.clone();
        OneBitAccumulate.Block plan = new OneBitAccumulate.Block(planes, count);
        plan.plan(a, count, planes, words);
        OneBitAccumulate.run(a, count, words, plan, m, first, perGroup, slices, planes, tb, channels, alpha, java, outBase, stride);
        NativeOneBit.run(a, count, words, rows, m, first, perGroup, slices, planes, tb, channels, alpha, nat, outBase, stride, false);
        String what = "rows " + rows + ", count " + count + ", planes " + planes + ", L " + levels + (midRise ? ", mid-rise" : "");
        assertArrayEquals(java, nat, what);
        assertTrue(!Arrays.equals(start, java), what + ": the block changed nothing");
        float[] zeroJava = new float[start.length];
        OneBitAccumulate.run(a, count, words, plan, m, first, perGroup, slices, planes, tb, channels, alpha, zeroJava, outBase, stride);
        float[] fresh = start.clone();
        NativeOneBit.run(a, count, words, rows, m, first, perGroup, slices, planes, tb, channels, alpha, fresh, outBase, stride, true);
        assertFreshBlock(start, zeroJava, fresh, first, perGroup, outBase, count, stride, what);
    }

    /**
     * The native Conv block (packing in C, then the loop) against {@link RowPacking#pack} plus the Java loop: channel
     * counts whose row runs straddle a 64-bit word, padding on every side, strides, dilation, groups, partial blocks.
     */
    @Test
    void nativeConvBlocksEqualJavaPackingAndTheJavaLoop() throws IOException {
        if (!nativeMachine()) {
            assertTrue(!CimNative.active(), CimNative.status());
            return;
        }
        Random r = new Random(11);
        int blocks = 0;
        // channels per group, groups, kernel, stride, dilation, pad, tile row range
        int[][] cases = {
            {16, 1, 3, 1, 1, 1, 0, 128}, {16, 1, 3, 1, 1, 1, 128, 144}, {23, 1, 3, 2, 1, 1, 0, 128}, {23, 1, 3, 1, 2, 2, 64, 192},
            {64, 1, 1, 1, 1, 0, 0, 64}, {7, 3, 3, 1, 1, 1, 0, 63}, {5, 2, 2, 2, 1, 0, 3, 20}, {40, 1, 3, 1, 1, 1, 100, 228},
        };
        for (int[] c : cases) {
            for (int count : new int[] {32, 5}) {
                for (boolean midRise : new boolean[] {false, true}) {
                    // 4 planes: the vector packing; 12 planes: the scalar one
                    compareConv(r, c, count, midRise, (midRise ? MID_RISE_LEVELS : ZERO_TREAD_LEVELS)[blocks % 5],
                            blocks % 3 == 2 ? 12 : 4);
                    blocks++;
                }
            }
        }
        assertEquals(32, blocks);
    }

    private static void compareConv(Random r, int[] c, int count, boolean midRise, int levels, int planes) {
        int cpg = c[0];
        int groups = c[1];
        int k = c[2];
        int stride = c[3];
        int dil = c[4];
        int pad = c[5];
        int h = 9;
        int w = 7;
        int batch = 4;
        int oh = (h + 2 * pad - dil * (k - 1) - 1) / stride + 1;
        int ow = (w + 2 * pad - dil * (k - 1) - 1) / stride + 1;
        int channels = cpg * groups;
        float[] codes = new float[batch * channels * h * w];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = r.nextInt(3) == 0 ? 0 : r.nextInt(1 << planes);
        }
        InputBits.Digits digits = new InputBits.Digits(InputMode.UNSIGNED, planes, 1, "test");
        InputBits in = InputBits.conv(batch, channels, h, w, digits);
        in.fillConv(codes, 0, batch, channels, h * w, digits);
        TileRows tile = TileRows.conv(c[6], c[7], k, k);
        int g = groups - 1;
        int slices = 3;
        int outChannels = 5;
        int first = 1;
        int perGroup = 3;
        TileMasks m = TileMasks.of(tile, first, perGroup, slices, 1, (j, n, seg, ch) -> r.nextInt(3) - 1);
        float[] steps = new float[slices * outChannels];
        for (int i = 0; i < steps.length; i++) {
            // 1000: a column whose ADC is one run (all zero) beside columns of L runs in the same block
            steps[i] = new float[] {1f, 2.5f, 3.3f, 0.7f, 1000f}[r.nextInt(5)];
        }
        AdcTables tb = levels == 0 ? AdcTables.identity(steps.length, tile.rows())
                : AdcTables.of(levels, steps, midRise, tile.rows());
        float[] alpha = new float[slices * planes];
        for (int i = 0; i < alpha.length; i++) {
            alpha[i] = (float) (Math.scalb(1.0, i % planes) * (1 + r.nextInt(3)) / 3.0);
        }
        RowPacking.Geometry geo = new RowPacking.Geometry(h, w, oh, ow, stride, stride, dil, dil, pad, pad, cpg);
        int spatial = oh * ow;
        int[] pixelBase = new int[count];
        int[] oys = new int[count];
        int[] oxs = new int[count];
        int[] outBase = new int[count];
        int pos0 = r.nextInt(batch * spatial - count + 1);
        for (int pc = 0; pc < count; pc++) {
            int pos = pos0 + pc;
            int b = pos / spatial;
            int rem = pos % spatial;
            oys[pc] = rem / ow;
            oxs[pc] = rem % ow;
            pixelBase[pc] = b * h * w;
            outBase[pc] = b * outChannels * spatial + rem;
        }
        float[] start = new float[batch * outChannels * spatial];
        for (int i = 0; i < start.length; i++) {
            start[i] = r.nextInt(4) == 0 ? 0f : (float) r.nextGaussian();
        }
        int words = tile.words();
        long[] a = new long[count * planes * words];
        for (int pc = 0; pc < count; pc++) {
            RowPacking.pack(tile, g, in, geo, pixelBase[pc], oys[pc], oxs[pc], a, pc * planes * words, words, planes);
        }
        float[] java = start.clone();
        OneBitAccumulate.Block plan = new OneBitAccumulate.Block(planes, count);
        plan.plan(a, count, planes, words);
        OneBitAccumulate.run(a, count, words, plan, m, first, perGroup, slices, planes, tb, outChannels, alpha, java, outBase,
                spatial);
        float[] nat = start.clone();
        NativeOneBit.convBlock(in, tile, g, geo, count, pixelBase, oys, oxs, m, first, perGroup, slices, planes, tb, outChannels,
                alpha, nat, outBase, spatial, false);
        String what = Arrays.toString(c) + ", count " + count + (midRise ? ", mid-rise" : "");
        assertArrayEquals(java, nat, what);
        assertTrue(!Arrays.equals(start, java), what + ": the block changed nothing");
        float[] zeroJava = new float[start.length];
        OneBitAccumulate.run(a, count, words, plan, m, first, perGroup, slices, planes, tb, outChannels, alpha, zeroJava, outBase,
                spatial);
        float[] fresh = start.clone();
        NativeOneBit.convBlock(in, tile, g, geo, count, pixelBase, oys, oxs, m, first, perGroup, slices, planes, tb, outChannels,
                alpha, fresh, outBase, spatial, true);
        assertFreshBlock(start, zeroJava, fresh, first, perGroup, outBase, count, spatial, what);
    }

    /**
     * A fresh block (the first tile into a new array) computed over non-zero garbage: the block's elements equal the Java
     * loop's from +0, bit for bit (the garbage was not read), and every other element is the garbage, untouched.
     */
    private static void assertFreshBlock(float[] garbage, float[] fromZero, float[] fresh, int first, int perGroup, int[] outBase,
                                         int count, int stride, String what) {
        boolean[] block = new boolean[garbage.length];
        for (int n = first; n < first + perGroup; n++) {
            for (int pc = 0; pc < count; pc++) {
                block[outBase[pc] + n * stride] = true;
            }
        }
        for (int i = 0; i < garbage.length; i++) {
            float want = block[i] ? fromZero[i] : garbage[i];
            assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(fresh[i]), what + ", fresh block, element " + i);
        }
    }

    @Test
    void callsOutsideTheBuffersAreRefusedNotRun() throws IOException {
        if (!nativeMachine()) {
            assertTrue(!NativeOneBit.loaded(), NativeOneBit.status());
            return;
        }
        TileRows tile = TileRows.matmul(0, 70);
        TileMasks m = TileMasks.of(tile, 0, 2, 1, 1, (j, n, seg, c) -> 1);
        AdcTables tb = AdcTables.of(3, new float[] {1f, 1f}, false, 70);
        long[] a = new long[4 * 2];
        float[] out = new float[8];
        assertThrows(IllegalArgumentException.class, () -> NativeOneBit.run(a, 4, 2, 70, m, 0, 2, 1, 1, tb, 2, new float[] {1f},
                out, new int[] {0, 1, 2, 7}, 1, false), "an output index past the end");
        assertThrows(IllegalArgumentException.class, () -> NativeOneBit.run(a, 65, 2, 70, m, 0, 2, 1, 1, tb, 2, new float[] {1f},
                new float[200], new int[65], 1, false), "more positions than the native buffers");
        AdcTables small = AdcTables.of(3, new float[] {1f, 1f}, false, 10);
        assertThrows(IllegalArgumentException.class, () -> NativeOneBit.run(a, 4, 2, 70, m, 0, 2, 1, 1, small, 2,
                new float[] {1f}, out, new int[] {0, 1, 2, 3}, 1, false), "a table shorter than the tile's partial sums");

        InputBits in = InputBits.conv(2, 1, 3, 3, new InputBits.Digits(InputMode.UNSIGNED, 4, 1, "t"));
        TileRows conv = TileRows.conv(0, 9, 3, 3);
        TileMasks cm = TileMasks.of(conv, 0, 1, 1, 1, (j, n, seg, c) -> 1);
        AdcTables ct = AdcTables.of(3, new float[] {1f}, false, 9);
        RowPacking.Geometry geo = new RowPacking.Geometry(3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> NativeOneBit.convBlock(in, conv, 0, geo, 1, new int[] {10}, new int[1],
                new int[1], cm, 0, 1, 1, 4, ct, 1, new float[4], new float[9], new int[1], 9, true), "a pixel past the input's end");
        RowPacking.Geometry wide = new RowPacking.Geometry(3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 64);
        assertThrows(IllegalArgumentException.class, () -> NativeOneBit.convBlock(in, conv, 1, wide, 1, new int[1], new int[1],
                new int[1], cm, 0, 1, 1, 4, ct, 1, new float[4], new float[9], new int[1], 9, false), "channels beyond the pixel's word");
    }
}
