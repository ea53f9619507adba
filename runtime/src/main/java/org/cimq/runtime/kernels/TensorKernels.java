package org.cimq.runtime.kernels;

import org.cimq.runtime.KernelRegistry;

/**
 * Registers the shape, indexing, casting, reduction and quantization kernels, once per ONNX
 * since-version (up to opset 21) at which the op's attributes or inputs changed.
 */
public final class TensorKernels {
    private TensorKernels() {
    }

    public static void registerAll(KernelRegistry r) {
        r.register("Flatten", 1, FlattenKernel::new);
        r.register("Flatten", 11, FlattenKernel::new);
        r.register("Reshape", 5, ReshapeKernel::new);
        r.register("Reshape", 14, ReshapeKernel::new);
        r.register("Transpose", 1, TransposeKernel::new);
        r.register("Concat", 4, ConcatKernel::new);
        r.register("Concat", 11, ConcatKernel::new);
        r.register("Split", 2, SplitKernel::new);
        r.register("Split", 11, SplitKernel::new);
        r.register("Split", 13, SplitKernel::new);
        r.register("Split", 18, SplitKernel::new);
        r.register("Slice", 1, SliceKernel::new);
        r.register("Slice", 10, SliceKernel::new);
        r.register("Slice", 11, SliceKernel::new);
        r.register("Pad", 2, PadKernel::new);
        r.register("Pad", 11, PadKernel::new);
        r.register("Pad", 18, PadKernel::new);
        r.register("Pad", 19, PadKernel::new);
        r.register("Squeeze", 1, SqueezeKernel::new);
        r.register("Squeeze", 11, SqueezeKernel::new);
        r.register("Squeeze", 13, SqueezeKernel::new);
        r.register("Unsqueeze", 1, UnsqueezeKernel::new);
        r.register("Unsqueeze", 11, UnsqueezeKernel::new);
        r.register("Unsqueeze", 13, UnsqueezeKernel::new);
        r.register("Shape", 1, ShapeKernel::new);
        r.register("Shape", 15, ShapeKernel::new);
        r.register("Gather", 1, GatherKernel::new);
        r.register("Gather", 11, GatherKernel::new);
        r.register("Constant", 1, ConstantKernel::new);
        r.register("Constant", 12, ConstantKernel::new);
        r.register("ConstantOfShape", 9, ConstantOfShapeKernel::new);
        r.register("Cast", 6, CastKernel::new);
        r.register("Cast", 19, CastKernel::new);
        r.register("Expand", 8, ExpandKernel::new);
        r.register("Range", 11, RangeKernel::new);
        r.register("ReduceMean", 1, ReduceMeanKernel::new);
        r.register("ReduceMean", 18, ReduceMeanKernel::new);
        r.register("ReduceSum", 1, ReduceSumKernel::new);
        r.register("ReduceSum", 13, ReduceSumKernel::new);
        r.register("ReduceMax", 1, ReduceMaxKernel::new);
        r.register("ReduceMax", 18, ReduceMaxKernel::new);
        r.register("QuantizeLinear", 10, QuantizeLinearKernel::new);
        r.register("QuantizeLinear", 13, QuantizeLinearKernel::new);
        r.register("QuantizeLinear", 19, QuantizeLinearKernel::new);
        r.register("QuantizeLinear", 21, QuantizeLinearKernel::new);
        r.register("DequantizeLinear", 10, DequantizeLinearKernel::new);
        r.register("DequantizeLinear", 13, DequantizeLinearKernel::new);
        r.register("DequantizeLinear", 19, DequantizeLinearKernel::new);
        r.register("DequantizeLinear", 21, DequantizeLinearKernel::new);
    }
}
