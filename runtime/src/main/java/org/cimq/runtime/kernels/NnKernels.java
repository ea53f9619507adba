package org.cimq.runtime.kernels;

import org.cimq.runtime.KernelRegistry;

/**
 * Registers the neural-network kernels: convolution (and the execution-only fused
 * {@code ConvRelu}, {@link ConvReluFusion}), matrix products, batch normalization and pooling.
 */
public final class NnKernels {
    private NnKernels() {
    }

    public static void registerAll(KernelRegistry r) {
        r.register("Conv", 1, ConvKernel::new);
        r.register("Conv", 11, ConvKernel::new);
        r.register(ConvReluKernel.DOMAIN, ConvReluKernel.OP, ConvReluKernel.VERSION, ConvReluKernel::new);
        r.register("Gemm", 7, GemmKernel::new);
        r.register("Gemm", 9, GemmKernel::new);
        r.register("Gemm", 11, GemmKernel::new);
        r.register("Gemm", 13, GemmKernel::new);
        r.register("MatMul", 1, MatMulKernel::new);
        r.register("MatMul", 9, MatMulKernel::new);
        r.register("MatMul", 13, MatMulKernel::new);
        r.register("BatchNormalization", 7, BatchNormalizationKernel::new);
        r.register("BatchNormalization", 9, BatchNormalizationKernel::new);
        r.register("BatchNormalization", 14, BatchNormalizationKernel::new);
        r.register("BatchNormalization", 15, BatchNormalizationKernel::new);
        r.register("MaxPool", 1, MaxPoolKernel::new);
        r.register("MaxPool", 8, MaxPoolKernel::new);
        r.register("MaxPool", 10, MaxPoolKernel::new);
        r.register("MaxPool", 11, MaxPoolKernel::new);
        r.register("MaxPool", 12, MaxPoolKernel::new);
        r.register("AveragePool", 7, AveragePoolKernel::new);
        r.register("AveragePool", 10, AveragePoolKernel::new);
        r.register("AveragePool", 11, AveragePoolKernel::new);
        r.register("AveragePool", 19, AveragePoolKernel::new);
        r.register("GlobalAveragePool", 1, GlobalAveragePoolKernel::new);
        r.register("GlobalMaxPool", 1, GlobalMaxPoolKernel::new);
    }
}
