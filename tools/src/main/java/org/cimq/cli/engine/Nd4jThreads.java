package org.cimq.cli.engine;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Limits ND4J's threads as far as ND4J 1.0.0-M2.1 allows at run time. Its native pool size
 * ({@code Environment.maxThreads}) is fixed at start-up from {@code OMP_NUM_THREADS} and
 * {@code setMaxThreads} is ignored; {@code setMaxMasterThreads} (threads that split one op)
 * and the BLAS thread count can be changed, up to that pool size.
 */
public final class Nd4jThreads {
    private Nd4jThreads() {
    }

    /** Applies {@code threads} and returns the count ND4J will use: at most the start-up pool size. */
    public static int apply(int threads) {
        var env = Nd4j.getEnvironment();
        int effective = Math.max(1, Math.min(threads, env.maxThreads()));
        env.setMaxMasterThreads(effective);
        Nd4j.factory().blas().setMaxThreads(effective);
        return effective;
    }
}
