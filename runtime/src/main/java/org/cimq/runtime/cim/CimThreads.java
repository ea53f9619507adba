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

    public static synchronized int count() {
        return threads;
    }

    static synchronized ForkJoinPool pool() {
        if (pool == null) {
            pool = new ForkJoinPool(threads, p -> {
                var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                t.setDaemon(true);
                t.setName("cimq-cim-" + t.getPoolIndex());
                return t;
            }, null, false);
        }
        return pool;
    }
}
