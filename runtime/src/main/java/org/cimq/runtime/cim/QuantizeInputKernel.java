package org.cimq.runtime.cim;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code CimQuantizeInput}: activations to integer codes, {@code a = clamp(round(x / scale), min, max)}
 * (float32 division, half-to-even rounding), with the code range of {@code bits} and
 * {@code input_mode} (see {@link InputMode}). Output: float32 holding the integer codes.
 */
final class QuantizeInputKernel implements Kernel {
    private final float scale;
    private final float lo;
    private final float hi;

    QuantizeInputKernel(Node node, int opset) {
        this.scale = node.attrFloat("scale", Float.NaN);
        int bits = (int) node.attrInt("bits", -1);
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new KernelException(node.describe() + ": attribute scale must be a positive finite float, got " + scale);
        }
        if (bits < 1 || bits > 16) {
            throw new KernelException(node.describe() + ": attribute bits must be 1..16, got " + bits);
        }
        InputMode mode = InputMode.of(node);
        this.lo = mode.min(bits);
        this.hi = mode.max(bits);
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        return new INDArray[] {CimArrays.quantize(inputs[0], scale, lo, hi)};
    }
}
