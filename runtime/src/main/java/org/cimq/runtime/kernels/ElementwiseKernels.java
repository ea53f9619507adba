package org.cimq.runtime.kernels;

import org.cimq.runtime.KernelRegistry;

/** Registers the element-wise kernels: broadcasting arithmetic, comparisons and activations. */
public final class ElementwiseKernels {
    private ElementwiseKernels() {
    }

    public static void registerAll(KernelRegistry r) {
    }
}
