package org.cimq.runtime.kernels;

import org.cimq.runtime.KernelRegistry;

/**
 * Registers the element-wise kernels: broadcasting arithmetic, comparisons and activations.
 * Each op is listed at the since-versions whose inputs or attributes differ; later versions
 * that only add types are served by the same kernel.
 */
public final class ElementwiseKernels {
    private ElementwiseKernels() {
    }

    public static void registerAll(KernelRegistry r) {
        r.register("Add", 7, AddKernel::new);
        r.register("Sub", 7, SubKernel::new);
        r.register("Mul", 7, MulKernel::new);
        r.register("Div", 7, DivKernel::new);
        r.register("Pow", 7, PowKernel::new);
        r.register("Equal", 7, EqualKernel::new);
        r.register("Min", 6, MinKernel::new);
        r.register("Max", 6, MaxKernel::new);
        r.register("Sum", 6, SumKernel::new);
        r.register("Where", 9, WhereKernel::new);

        r.register("Relu", 6, ReluKernel::new);
        r.register("LeakyRelu", 6, LeakyReluKernel::new);
        r.register("Clip", 6, ClipKernel::new);
        r.register("Clip", 11, ClipKernel::new);
        r.register("Sigmoid", 6, SigmoidKernel::new);
        r.register("Tanh", 6, TanhKernel::new);
        r.register("HardSigmoid", 6, HardSigmoidKernel::new);
        r.register("HardSwish", 14, HardSwishKernel::new);
        r.register("Neg", 6, NegKernel::new);
        r.register("Sqrt", 6, SqrtKernel::new);
        r.register("Floor", 6, FloorKernel::new);
        r.register("Round", 11, RoundKernel::new);
        r.register("Exp", 6, ExpKernel::new);
        r.register("Identity", 1, IdentityKernel::new);
        r.register("Dropout", 7, DropoutKernel::new);
        r.register("Dropout", 10, DropoutKernel::new);
        r.register("Dropout", 12, DropoutKernel::new);
        r.register("Softmax", 1, SoftmaxKernel::new);
        r.register("Softmax", 13, SoftmaxKernel::new);
        r.register("LogSoftmax", 1, LogSoftmaxKernel::new);
        r.register("LogSoftmax", 13, LogSoftmaxKernel::new);
    }
}
