package org.cimq.runtime.kernels;

import org.cimq.runtime.TaskThreads;
import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import org.cimq.runtime.NativeLibrary;
import org.cimq.runtime.NdArrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * cimq's own float32 2-D convolution in C ({@code runtime/src/main/c/cimq_conv.c}, AVX-512F),
 * with an optional fused epilogue: {@code y = relu?(conv(x, w) + b + addend?)}. Direct
 * convolution on NCHW data, 8 output channels by 32 positions per register block; stride-1
 * "same-width" layers read the input in place, other geometries through a per-image column
 * buffer. Why: ND4J's oneDNN call reorders activations and weights to oneDNN's blocked layout and
 * back on every call, which on ResNet-20's 16-64-channel layers cost about as much as the
 * arithmetic (issue 2). Every image is computed on its own, so a batch split over threads gives
 * the same numbers as one call; the numbers differ from oneDNN's by float rounding only (another
 * summation order). Used where {@link FloatConvNative#active()}; {@link ConvKernel} falls back to
 * ND4J otherwise.
 */
final class NativeConv {
    static final String LIBRARY = "libcimqconv.so";
    /** Images convolved by the native code in this process (for tests and benchmarks). */
    static final LongAdder IMAGES = new LongAdder();
    /**
     * Chunks of images per thread: enough that a thread which starts late or is preempted leaves
     * its share to the others (with 2 per thread, ResNet-20's helper thread often got one chunk of
     * four); the weight and mask tables are made once per call, so chunks cost little.
     */
    private static final int CHUNKS_PER_THREAD = 50;
    private static final String STATUS;
    private static final boolean LOADED;

    static {
        NativeLibrary.Result lib = NativeLibrary.load(LIBRARY);
        boolean loaded = false;
        String status;
        if (!lib.loaded()) {
            status = "nd4j (" + lib.reason() + ")";
        } else if (supported0()) {
            loaded = true;
            status = "native avx512";
        } else {
            status = "nd4j (this CPU lacks AVX-512F)";
        }
        LOADED = loaded;
        STATUS = status;
    }

    private NativeConv() {
    }

    static boolean loaded() {
        return LOADED;
    }

    static String status() {
        return STATUS;
    }

    /**
     * Whether the native convolution takes these operands now: it is active, everything is float32,
     * x [N,C,H,W] and w [O,C/group,kH,kW] are non-empty, the groups divide both channel counts, the
     * output is non-empty and one image's input and output each hold fewer than 2^31 values.
     * s, p (symmetric), d as {H, W}.
     */
    static boolean applies(INDArray x, INDArray w, INDArray b, long[] s, long[] p, long[] d, int group) {
        if (!FloatConvNative.active() || x.dataType() != DataType.FLOAT || w.dataType() != DataType.FLOAT
                || (b != null && (b.dataType() != DataType.FLOAT || b.length() != w.size(0)))
                || x.rank() != 4 || w.rank() != 4 || x.length() == 0 || w.length() == 0 || group < 1
                || x.size(1) != w.size(1) * group || w.size(0) % group != 0) {
            return false;
        }
        long oh = outSize(x.size(2), w.size(2), s[0], p[0], d[0]);
        long ow = outSize(x.size(3), w.size(3), s[1], p[1], d[1]);
        long perImageIn = x.size(1) * x.size(2) * x.size(3);
        long columns = w.size(1) * w.size(2) * w.size(3) * oh * ow;
        return s[0] >= 1 && s[1] >= 1 && d[0] >= 1 && d[1] >= 1 && p[0] >= 0 && p[1] >= 0 && oh >= 1 && ow >= 1
                && x.size(0) <= Integer.MAX_VALUE && perImageIn <= Integer.MAX_VALUE
                && w.size(0) * oh * ow <= Integer.MAX_VALUE && columns <= Integer.MAX_VALUE;
    }

    static long outSize(long in, long kernel, long stride, long pad, long dilation) {
        return Math.floorDiv(in + 2 * pad - dilation * (kernel - 1) - 1, stride) + 1;
    }

    /**
     * relu?(conv(x, w) + b + addend?) into {@code target} (a plain c-order float32 array of the
     * output's shape, which may be x or addend itself), or into a new array when target is null;
     * the batch is split into chunks of images shared by {@code threads} threads. The caller has
     * checked {@link #applies}. addend: null or an array of the output's shape.
     */
    static INDArray run(INDArray x, INDArray w, INDArray b, long[] s, long[] p, long[] d, int group, INDArray addend,
                        boolean relu, INDArray target, int threads) {
        long n = x.size(0);
        long[] shape = {n, w.size(0), outSize(x.size(2), w.size(2), s[0], p[0], d[0]),
            outSize(x.size(3), w.size(3), s[1], p[1], d[1])};
        INDArray y = target != null ? target : Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        if (!NdArrays.isDenseFloat(y) || !Arrays.equals(y.shape(), shape)) {
            throw new IllegalArgumentException("native conv: output " + Arrays.toString(y.shape()) + " is not a plain "
                    + "float32 array of shape " + Arrays.toString(shape));
        }
        if (addend != null && !Arrays.equals(addend.shape(), shape)) {
            throw new IllegalArgumentException("native conv: addend " + Arrays.toString(addend.shape())
                    + " does not have the output's shape " + Arrays.toString(shape));
        }
        INDArray xp = plain(x);
        INDArray wp = plain(w);
        INDArray bp = b == null ? null : plain(b);
        INDArray ap = addend == null ? null : plain(addend);
        int[] geometry = {(int) x.size(1), (int) x.size(2), (int) x.size(3), (int) w.size(0), (int) w.size(2),
            (int) w.size(3), group, (int) s[0], (int) s[1], (int) p[0], (int) p[1], (int) d[0], (int) d[1],
            (int) shape[2], (int) shape[3]};
        int chunks = (int) Math.min(n, (long) Math.max(1, threads) * CHUNKS_PER_THREAD);
        long plan = 0;
        try {
            long xa = address(xp);
            long ba = bp == null ? 0 : address(bp);
            long aa = ap == null ? 0 : address(ap);
            long ya = address(y);
            plan = plan0(address(wp), geometry);
            if (plan == 0) {
                throw new OutOfMemoryError("native conv: no memory for its weight and mask tables");
            }
            long planned = plan;
            TaskThreads.run(chunks, threads, c -> {
                int from = (int) (n * c / chunks);
                int to = (int) (n * (c + 1) / chunks);
                if (run0(planned, xa, ba, aa, ya, from, to, relu) != 0) {
                    throw new OutOfMemoryError("native conv: no memory for its scratch buffers");
                }
                IMAGES.add(to - from);
            });
        } finally {
            free0(plan);
            Reference.reachabilityFence(xp);
            Reference.reachabilityFence(wp);
            Reference.reachabilityFence(bp);
            Reference.reachabilityFence(ap);
            Reference.reachabilityFence(y);
        }
        return y;
    }

    private static INDArray plain(INDArray a) {
        return NdArrays.isDenseFloat(a) ? a : a.castTo(DataType.FLOAT).dup('c');
    }

    private static long address(INDArray a) {
        return a.data().addressPointer().address();
    }

    private static native boolean supported0();

    /** The weight and mask tables of one call (geometry in the C side's G_* order), or 0 when memory ran out. */
    private static native long plan0(long w, int[] geometry);

    /** Images [from, to) of one call; 0, or -1 when memory ran out (nothing written then). */
    private static native int run0(long plan, long x, long bias, long addend, long y, int from, int to, boolean relu);

    /** Frees a plan (0: nothing). */
    private static native void free0(long plan);
}
