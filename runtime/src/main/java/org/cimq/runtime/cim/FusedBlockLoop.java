package org.cimq.runtime.cim;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.cimq.ir.Node;

/**
 * The block loop of a {@link FusedLayerKernel}: output positions in blocks of {@link #BLOCK}, for every group and
 * array, packed ({@link RowPacking}) and accumulated by the native one-bit loop ({@link NativeOneBit}), the Java
 * one-bit loop ({@link OneBitAccumulate}, also when counting partial sums) or the general loop
 * ({@link GeneralAccumulate}); or, for Conv layers the native range loop takes, a whole range in one native call. Each
 * output element accumulates {@code alpha[j·planes + i]·Q(ps)} in the order arrays, slices, planes.
 */
final class FusedBlockLoop {
    /** Output positions packed and computed together, so each weight mask is loaded once per block. */
    static final int BLOCK = 64;

    private final String who;
    private final int digitBits;
    private final int planes;
    private final int slices;
    /** The shift-add weight of slice j and plane i at [j · planes + i]: slice weight × plane weight, in float32. */
    final float[] alpha;

    FusedBlockLoop(Node node, int digitBits, float[] planeWeights, float[] sliceWeights) {
        this.who = node.describe();
        this.digitBits = digitBits;
        this.planes = planeWeights.length;
        this.slices = sliceWeights.length;
        this.alpha = new float[slices * planes];
        for (int j = 0; j < slices; j++) {
            for (int i = 0; i < planes; i++) {
                alpha[j * planes + i] = (float) ((double) sliceWeights[j] * planeWeights[i]);
            }
        }
    }

    /** Whether a Conv's blocks run in the native range loop ({@link NativeOneBit#convRange}). */
    static boolean nativeRange(FusedLayerPlan p, PartialSumCounts counts, int inputWords) {
        return p.nativeLayer() != null && counts == null && inputWords == 1 && CimNative.active();
    }

    /**
     * Whether every block's first tile goes through a native one-bit loop started {@code fresh} (see
     * {@link #computeRange}): those write every output element of their channels without reading it, so the output
     * accumulator need not be zeroed. Any other path adds into the accumulator and needs it all +0.
     */
    boolean firstTilesWriteAll(FusedLayerPlan p, InputBits in, RowPacking.Geometry geo, PartialSumCounts counts) {
        if (counts != null || geo == null || in.words != 1 || !CimNative.active() || digitBits != 1) {
            return false;
        }
        int words = p.tiles()[0].words();
        if (words > 2 || !NativeOneBit.fits(BLOCK, planes, words)) {
            return false;
        }
        for (TileMasks[] m : p.masks()) {
            if (m[0].magnitudeBits != 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code job} on [0, positions) cut into chunks that the CIM threads share: {@code perThread} per thread (several,
     * for balance), one in all with one thread.
     */
    static void inChunks(int positions, int perThread, CimThreads.RangeJob job) {
        int threads = CimThreads.count();
        int chunks = Math.min(positions, threads == 1 ? 1 : threads * perThread);
        if (chunks <= 1) {
            job.run(0, positions);
            return;
        }
        CimThreads.pool().submit(() -> IntStream.range(0, chunks).parallel().forEach(ch ->
                job.run((int) ((long) positions * ch / chunks), (int) ((long) positions * (ch + 1) / chunks)))).join();
    }

    /**
     * Every output position's sums into {@code out}, positions split over the CIM threads; when counting, one chunk per
     * thread, each with its own counts, added up at its end.
     */
    void compute(int positions, FusedLayerPlan p, InputBits in, float[] out, RowPacking.Geometry geo, PartialSumCounts counts) {
        inChunks(positions, counts != null ? 1 : 8, (from, to) -> {
            PartialSumCounts mine = counts == null ? null : counts.emptyCopy();
            computeRange(from, to, p, in, out, geo, mine);
            if (mine != null) {
                counts.add(mine);
            }
        });
    }

    private void computeRange(int from, int to, FusedLayerPlan p, InputBits in, float[] out, RowPacking.Geometry geo,
                              PartialSumCounts counts) {
        int planeBits = planes * digitBits;
        if (geo != null && nativeRange(p, counts, in.words)) {
            // the whole block loop below in one native call: the same blocks, groups and tiles in the same order
            NativeOneBit.convRange(in, p.nativeLayer(), geo, from, to, alpha, out);
            return;
        }
        if (in.planeMajor) {
            throw new IllegalStateException(who + ": plane-major input bits outside the native range loop");
        }
        long[] a = new long[BLOCK * planeBits * p.maxWords()];
        OneBitAccumulate.Block plan = new OneBitAccumulate.Block(planes, BLOCK);
        int[] outBase = new int[BLOCK];
        int[] pixelBase = new int[BLOCK];
        int[] oys = new int[BLOCK];
        int[] oxs = new int[BLOCK];
        int groups = p.masks().length;
        int perGroup = p.channels() / groups;
        int stride = geo != null ? geo.oh() * geo.ow() : 1;
        for (int pos0 = from; pos0 < to; pos0 += BLOCK) {
            int count = Math.min(BLOCK, to - pos0);
            for (int pc = 0; pc < count; pc++) {
                int pos = pos0 + pc;
                if (geo != null) {
                    int batch = pos / stride;
                    int rem = pos - batch * stride;
                    oys[pc] = rem / geo.ow();
                    oxs[pc] = rem - oys[pc] * geo.ow();
                    outBase[pc] = batch * p.channels() * stride + rem;
                    pixelBase[pc] = batch * geo.h() * geo.w();
                } else {
                    outBase[pc] = pos * p.channels();
                    pixelBase[pc] = pos;
                }
            }
            for (int g = 0; g < groups; g++) {
                for (int t = 0; t < p.tiles().length; t++) {
                    TileRows tile = p.tiles()[t];
                    int words = tile.words();
                    TileMasks m = p.masks()[g][t];
                    AdcTables tb = p.tables()[t];
                    boolean oneBit = digitBits == 1 && m.magnitudeBits == 1 && words <= 2;
                    if (oneBit && counts == null && geo != null && in.words == 1 && CimNative.active() && NativeOneBit.fits(count, planes, words)) {
                        NativeOneBit.convBlock(in, tile, g, geo, count, pixelBase, oys, oxs, m, g * perGroup, perGroup, slices, planes,
                                tb, p.channels(), alpha, out, outBase, stride, t == 0);
                        continue;
                    }
                    int perPos = planeBits * words;
                    Arrays.fill(a, 0, count * perPos, 0L);
                    for (int pc = 0; pc < count; pc++) {
                        RowPacking.pack(tile, g, in, geo, pixelBase[pc], oys[pc], oxs[pc], a, pc * perPos, words, planeBits);
                    }
                    if (oneBit && counts != null) {
                        plan.plan(a, count, planes, words);
                        OneBitAccumulate.runCounting(a, count, words, plan, m, g * perGroup, perGroup, slices, planes, tb, p.channels(),
                                alpha, out, outBase, stride, counts, t);
                        continue;
                    }
                    if (oneBit) {
                        if (CimNative.active() && NativeOneBit.fits(count, planes, words)) {
                            NativeOneBit.run(a, count, words, tile.rows(), m, g * perGroup, perGroup, slices, planes, tb,
                                    p.channels(), alpha, out, outBase, stride, t == 0);
                        } else {
                            plan.plan(a, count, planes, words);
                            OneBitAccumulate.run(a, count, words, plan, m, g * perGroup, perGroup, slices, planes, tb, p.channels(),
                                    alpha, out, outBase, stride);
                        }
                        continue;
                    }
                    for (int nl = 0; nl < perGroup; nl++) {
                        int n = g * perGroup + nl;
                        for (int j = 0; j < slices; j++) {
                            GeneralAccumulate.run(a, count, words, digitBits, m, nl, j, tb.values, tb.zero[j * p.channels() + n],
                                    alpha, j * planes, planes, out, outBase, n * stride, counts, t, n);
                        }
                    }
                }
            }
        }
    }
}
