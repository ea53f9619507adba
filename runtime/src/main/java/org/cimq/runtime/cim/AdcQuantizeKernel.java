package org.cimq.runtime.cim;

import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.cimq.runtime.NdArrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.same.Floor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code AdcQuantize}: one ADC conversion per partial sum, an L-level uniform quantizer with step
 * Δ ({@code levels}, {@code delta}; or {@code deltas}, a tensor broadcast against the input for
 * per-column steps). Arithmetic in float32 (as ONNX Div/Round/Clip/Mul):
 * <ul>
 * <li>{@code quantizer = "zero-tread"} (CIM-SPEC): Q(v) = Δ·clamp(round(v/Δ), lo, hi), round
 *     half-to-even, [lo, hi] = [−(L−1)/2, (L−1)/2] for odd L, [−L/2, L/2 − 1] for even L.</li>
 * <li>{@code quantizer = "mid-rise"} (cimq's option, even L only): Q(v) = Δ·(clamp(floor(v/Δ),
 *     −L/2, L/2 − 1) + 1/2), levels ±Δ/2, ±3Δ/2, …; zero is not a level.</li>
 * </ul>
 */
final class AdcQuantizeKernel implements Kernel {
    private final boolean midRise;
    private final float lo;
    private final float hi;
    private final float delta;
    private final INDArray deltas;

    AdcQuantizeKernel(Node node, int opset) {
        long levels = node.attrInt("levels", -1);
        String q = node.attrString("quantizer", "zero-tread");
        if (levels < 2) {
            throw new KernelException(node.describe() + ": attribute levels must be an integer >= 2, got " + levels);
        }
        if (!q.equals("zero-tread") && !q.equals("mid-rise")) {
            throw new KernelException(node.describe() + ": quantizer must be 'zero-tread' or 'mid-rise', got '" + q + "'");
        }
        this.midRise = q.equals("mid-rise");
        if (midRise && levels % 2 != 0) {
            throw new KernelException(node.describe() + ": a mid-rise quantizer needs an even number of levels, got " + levels);
        }
        this.lo = levels % 2 == 1 ? -(levels - 1) / 2f : -levels / 2f;
        this.hi = levels % 2 == 1 ? (levels - 1) / 2f : levels / 2f - 1;
        Tensor t = node.attrTensor("deltas");
        this.delta = node.attrFloat("delta", Float.NaN);
        this.deltas = t == null ? null : NdArrays.fromTensor(t).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        if (deltas == null && !(delta > 0 && Float.isFinite(delta))) {
            throw new KernelException(node.describe() + ": attribute delta must be a positive finite float, got " + delta);
        }
        if (deltas != null && deltas.minNumber().doubleValue() <= 0) {
            throw new KernelException(node.describe() + ": every entry of attribute deltas must be positive");
        }
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray v = inputs[0];
        INDArray z = deltas == null ? v.div(delta) : v.div(deltas.broadcast(v.shape()));
        if (midRise) {
            Nd4j.exec(new Floor(z, z));
            CimArrays.clampInPlace(z, lo, hi).addi(0.5f);
        } else {
            CimArrays.clampInPlace(CimArrays.rintInPlace(z), lo, hi);
        }
        return new INDArray[] {deltas == null ? z.muli(delta) : z.muli(deltas.broadcast(v.shape()))};
    }
}
