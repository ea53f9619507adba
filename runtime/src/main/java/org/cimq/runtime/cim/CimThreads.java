package org.cimq.runtime.cim;

import java.util.concurrent.ForkJoinPool;

/**
 * The worker threads of cimq's own CIM kernels (ND4J sizes its pool separately). Defaults to
 * the number of available processors; engines set it to their thread count.
 */
public final class CimThreads {
    private static int threads = Runtime.getRuntime().availableProcessors();
    private static ForkJoinPool pool;

    private CimThreads() {
    }

    /** Uses {@code n} ≥ 1 threads from now on. */
    public static synchronized void set(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + n);
        }
        if (n != threads && pool != null) {
            pool.shutdown();
            pool = null;
        }
        threads = n;
    }

    /** The thread count the CIM kernels use: the configured one, or 1 inside {@link org.cimq.runtime.KernelThreads#inline}. */
    public static synchronized int count() {
        return org.cimq.runtime.KernelThreads.limit(threads);
    }

    static synchronized ForkJoinPool pool() {
        if (pool == null) {
            // numbered here: the pool index is not yet assigned when the factory runs (every worker was "cimq-cim-0")
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            pool = new ForkJoinPool(threads, p -> {
                var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                t.setDaemon(true);
                t.setName("cimq-cim-" + next.getAndIncrement());
                return t;
            }, null, false);
        }
        return pool;
    }

    /** Work on the index range [from, to). */
    @FunctionalInterface
    interface RangeJob {
        void run(int from, int to);
    }

    /**
     * Runs {@code job} over [0, n) split into one contiguous range per thread (inline with one
     * thread or n ≤ 1), and returns when all are done. An exception of a range is rethrown as it
     * is, in the calling thread (the first one, if several ranges fail).
     */
    static void forRanges(int n, RangeJob job) {
        int chunks = Math.min(n, count());
        if (chunks <= 1) {
            job.run(0, n);
            return;
        }
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failed = new java.util.concurrent.atomic.AtomicReference<>();
        pool().submit(() -> java.util.stream.IntStream.range(0, chunks).parallel().forEach(ch -> {
            try {
                job.run((int) ((long) n * ch / chunks), (int) ((long) n * (ch + 1) / chunks));
            } catch (RuntimeException e) {
                failed.compareAndSet(null, e);
            }
        })).join();
        if (failed.get() != null) {
            throw failed.get();
        }
    }
}
