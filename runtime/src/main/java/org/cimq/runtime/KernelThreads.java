package org.cimq.runtime;

import java.util.function.Supplier;

/**
 * Lets a thread run cimq's own multi-threaded kernels (the native convolution's image split, the
 * fused CIM kernels' position split) on itself alone, whatever thread count they are configured
 * with: {@link BatchParallelExecutor} runs one part of a batch per thread this way, so the parts'
 * kernels do not split their work again over the same cores.
 */
public final class KernelThreads {
    private static final ThreadLocal<Boolean> INLINE = ThreadLocal.withInitial(() -> false);

    private KernelThreads() {
    }

    /** {@code threads}, or 1 while the calling thread is inside {@link #inline}. */
    public static int limit(int threads) {
        return INLINE.get() ? 1 : threads;
    }

    /** Runs {@code work} with the calling thread's kernels limited to that thread. */
    public static <T> T inline(Supplier<T> work) {
        boolean before = INLINE.get();
        INLINE.set(true);
        try {
            return work.get();
        } finally {
            INLINE.set(before);
        }
    }
}
