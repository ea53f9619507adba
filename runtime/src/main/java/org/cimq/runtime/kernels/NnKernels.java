package org.cimq.runtime.kernels;

import org.cimq.runtime.KernelRegistry;

/** Registers the neural-network and arithmetic kernels (convolution, matmul, element-wise, pooling). */
public final class NnKernels {
    private NnKernels() {
    }

    public static void registerAll(KernelRegistry r) {
    }
}
