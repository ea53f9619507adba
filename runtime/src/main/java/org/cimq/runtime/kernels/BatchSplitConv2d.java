package org.cimq.runtime.kernels;

import org.cimq.runtime.TaskThreads;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link Conv2d} on a batch split into chunks of images, the chunks shared by
 * {@link TaskThreads}, each computed by oneDNN with a single OpenMP thread into its slice of one
 * preallocated output. Every image is convolved by the same oneDNN code as in one whole-batch
 * call, so the results are the same. Why: with the batch on one call, oneDNN splits each
 * convolution across OpenMP threads that meet at barriers; on a shared machine one preempted
 * thread stalls the others for a scheduler tick, which cost ResNet-20 2-4x its arithmetic. See
 * {@link #applies} for when {@link ConvKernel} uses it.
 */
final class BatchSplitConv2d {
    /** Chunks per thread: enough for one thread to take over a preempted one's share. */
    private static final int CHUNKS_PER_THREAD = 2;

    private BatchSplitConv2d() {
    }

    /**
     * The rule: more than one thread allowed ({@code threads}, ND4J's per-op thread count), at
     * least two images, a non-empty input and output, no dilation (dilated convolutions run on
     * ND4J's own code with oneDNN switched off process-wide under a lock, {@link Conv2d}, so
     * chunks would only queue there). x [N,C,H,W], w [O,C/group,kH,kW]; s, p (symmetric), d as {H, W}.
     */
    static boolean applies(INDArray x, INDArray w, long[] s, long[] p, long[] d, int threads) {
        return threads > 1 && x.size(0) >= 2 && x.length() > 0 && d[0] == 1 && d[1] == 1
                && outSize(x.size(2), w.size(2), s[0], p[0]) >= 1 && outSize(x.size(3), w.size(3), s[1], p[1]) >= 1;
    }

    private static long outSize(long in, long kernel, long stride, long pad) {
        return Math.floorDiv(in + 2 * pad - kernel, stride) + 1;
    }

    /** As {@link Conv2d#run(INDArray, INDArray, INDArray, long[], long[], long[], int)} on {@code threads} threads. */
    static INDArray run(INDArray x, INDArray w, INDArray b, long[] s, long[] p, long[] d, int group, int threads) {
        return run(x, w, b, s, p, d, group, threads, null);
    }

    /** As above, then {@code epilogue} (or null) on each chunk's output by the thread that computed it. */
    static INDArray run(INDArray x, INDArray w, INDArray b, long[] s, long[] p, long[] d, int group, int threads,
            ConvEpilogue epilogue) {
        long n = x.size(0);
        INDArray out = Nd4j.createUninitialized(x.dataType(), n, w.size(0), outSize(x.size(2), w.size(2), s[0], p[0]),
                outSize(x.size(3), w.size(3), s[1], p[1]));
        int chunks = (int) Math.min(n, (long) threads * CHUNKS_PER_THREAD);
        TaskThreads.run(chunks, threads, c -> {
            long from = n * c / chunks;
            long to = n * (c + 1) / chunks;
            INDArray chunk = out.get(NDArrayIndex.interval(from, to));
            Conv2d.run(x.get(NDArrayIndex.interval(from, to)), w, b, s, p, d, group, chunk);
            if (epilogue != null) {
                epilogue.apply(chunk, from, to);
            }
        });
        return out;
    }

    /**
     * As {@link #run} without an output array: each chunk is convolved into its thread's scratch
     * array (kept for the thread's next call), then handed to {@code merge} with its image range.
     */
    static void runThroughScratch(INDArray x, INDArray w, INDArray b, long[] s, long[] p, long[] d, int group,
            int threads, ConvEpilogue merge) {
        long n = x.size(0);
        long oh = outSize(x.size(2), w.size(2), s[0], p[0]);
        long ow = outSize(x.size(3), w.size(3), s[1], p[1]);
        int chunks = (int) Math.min(n, (long) threads * CHUNKS_PER_THREAD);
        TaskThreads.run(chunks, threads, c -> {
            long from = n * c / chunks;
            long to = n * (c + 1) / chunks;
            INDArray y = ConvScratch.get(x.dataType(), to - from, w.size(0), oh, ow);
            Conv2d.run(x.get(NDArrayIndex.interval(from, to)), w, b, s, p, d, group, y);
            merge.apply(y, from, to);
        });
    }
}
