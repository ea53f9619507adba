package org.cimq.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cimq.ir.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runs a batch cut into contiguous parts along axis 0, one part per thread ({@link TaskThreads#runEach}),
 * each part through its own {@link Executor} (over its own copy of the model) with that thread's
 * kernels limited to it ({@link KernelThreads#inline}, OpenMP at one thread), and joins the
 * outputs along axis 0.
 *
 * <p>Why: with one executor, every op of a batch splits its work over the threads and waits for the
 * slowest at its end; the ops cimq does not split (pooling, slicing, padding, the classifier, the
 * executor's own bookkeeping) leave the other threads idle. Parts run from the first op to the last
 * with no wait between ops, and each keeps its activations in its own core's caches. Measured on
 * ResNet-20 with two threads: 41–44 → 33–37 ms per batch of 100 (the same process, alternating).
 *
 * <p>Only graphs that compute every image on its own qualify ({@link BatchSeparability}); the
 * constructor refuses others with the reason. The outputs equal one executor's on the whole batch
 * up to float rounding in kernels whose summation order depends on how many rows they get (ND4J's
 * Gemm and MatMul, through BLAS: ResNet-20's logits differ by at most ~1e-6); cimq's convolutions
 * and CIM kernels compute each image alone and give identical values.
 */
public final class BatchParallelExecutor {
    private final List<Executor> executors;

    /** One executor per model copy (the thread count); the copies must be separate objects of one graph. */
    public BatchParallelExecutor(List<Model> copies) {
        if (copies.isEmpty()) {
            throw new IllegalArgumentException("batch-parallel executor: no model copies");
        }
        Optional<String> why = BatchSeparability.whyNot(copies.get(0));
        if (why.isPresent()) {
            throw new IllegalArgumentException("batch-parallel executor: the graph does not compute images on their own: "
                    + why.get());
        }
        this.executors = new ArrayList<>();
        for (Model m : copies) {
            executors.add(new Executor(m));
        }
    }

    /** The number of parts a batch is cut into (at most; fewer when it has fewer images). */
    public int parts() {
        return executors.size();
    }

    /** The graph's outputs for the batch {@code x} (images along axis 0), in the graph's output order. */
    public INDArray[] run(INDArray x) {
        long n = x.size(0);
        int parts = (int) Math.min(executors.size(), n);
        if (parts <= 1) {
            return KernelThreads.inline(() -> OpenMpThreads.single(() -> executors.get(0).run(x)));
        }
        INDArray[][] outs = new INDArray[parts][];
        TaskThreads.runEach(parts, p -> outs[p] = KernelThreads.inline(
                () -> executors.get(p).run(part(x, n * p / parts, n * (p + 1) / parts))));
        INDArray[] joined = new INDArray[outs[0].length];
        for (int k = 0; k < joined.length; k++) {
            INDArray[] pieces = new INDArray[parts];
            for (int p = 0; p < parts; p++) {
                pieces[p] = outs[p][k];
            }
            joined[k] = Nd4j.concat(0, pieces);
        }
        return joined;
    }

    /** Images [from, to) of x as a plain c-order array of their own. */
    private static INDArray part(INDArray x, long from, long to) {
        INDArrayIndex[] idx = new INDArrayIndex[x.rank()];
        idx[0] = NDArrayIndex.interval(from, to);
        for (int i = 1; i < idx.length; i++) {
            idx[i] = NDArrayIndex.all();
        }
        return x.get(idx).dup('c');
    }
}
