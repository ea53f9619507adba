package org.cimq.runtime;

import java.util.function.Supplier;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Runs work with the calling thread's OpenMP team limited to one thread, restoring the count
 * after. Used around whole batches: the batch-split Conv ({@code kernels.BatchSplitConv2d})
 * already spreads its work over threads (one OpenMP thread each), and the remaining ops of a
 * batch (elementwise, pooling, slicing) are memory-bound and, on a shared 2-core machine, lose
 * more at OpenMP barriers when a thread is preempted than a second thread gains (measured in
 * {@code bench float}: 0.62–0.69× ORT with two OpenMP threads, 0.78–0.83× with one, same runs).
 * OpenMP's thread count is per calling thread ({@code TaskThreadsTest}).
 */
public final class OpenMpThreads {
    private OpenMpThreads() {
    }

    public static <T> T single(Supplier<T> work) {
        var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int before = ops.ompGetMaxThreads();
        ops.setOmpNumThreads(1);
        try {
            return work.get();
        } finally {
            ops.setOmpNumThreads(before);
        }
    }
}
