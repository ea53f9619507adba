package org.cimq.runtime.kernels;

import java.util.Arrays;
import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * ONNX Clip: min(max(x, min), max). Opset 6-10 reads float attributes {@code min}/{@code max};
 * opset 11+ reads optional scalar inputs 2 and 3 (absent: unbounded) and, from opset 12,
 * also clips integer tensors.
 */
final class ClipKernel implements Kernel {
    private final Node node;
    private final boolean boundsAsInputs;
    private final Float minAttr;
    private final Float maxAttr;

    ClipKernel(Node node, int opset) {
        this.node = node;
        this.boundsAsInputs = opset >= 11;
        this.minAttr = !boundsAsInputs && node.hasAttr("min") ? node.attrFloat("min", 0f) : null;
        this.maxAttr = !boundsAsInputs && node.hasAttr("max") ? node.attrFloat("max", 0f) : null;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray x = inputs[0];
        INDArray lo = boundsAsInputs ? bound(inputs, 1, x) : null;
        INDArray hi = boundsAsInputs ? bound(inputs, 2, x) : null;
        if (x.dataType().isFPType()) {
            INDArray z = x.dup();
            Double min = boundsAsInputs ? (lo == null ? null : lo.getDouble(0)) : (minAttr == null ? null : minAttr.doubleValue());
            Double max = boundsAsInputs ? (hi == null ? null : hi.getDouble(0)) : (maxAttr == null ? null : maxAttr.doubleValue());
            if (min != null && !z.isEmpty()) {
                Transforms.max(z, min, false);
            }
            if (max != null && !z.isEmpty()) {
                Transforms.min(z, max, false);
            }
            return new INDArray[] {z};
        }
        if (!boundsAsInputs || x.dataType() == DataType.BOOL || !x.dataType().isIntType()) {
            throw new KernelException(node.describe() + ": input type " + x.dataType() + " is not supported"
                    + (boundsAsInputs ? "" : " (opset < 11 clips floating-point tensors only)"));
        }
        long min = lo == null ? Long.MIN_VALUE : Ints.values(lo)[0];
        long max = hi == null ? Long.MAX_VALUE : Ints.values(hi)[0];
        return new INDArray[] {Ints.map(x, v -> Math.min(Math.max(v, min), max))};
    }

    private INDArray bound(INDArray[] inputs, int i, INDArray x) {
        INDArray b = i < inputs.length ? inputs[i] : null;
        if (b != null && (b.length() != 1 || b.dataType() != x.dataType())) {
            throw new KernelException(node.describe() + ": input " + i + " must be a single " + x.dataType()
                    + " value, got " + b.dataType() + Arrays.toString(b.shape()));
        }
        return b;
    }
}
