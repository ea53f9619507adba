package org.cimq.cim.export;

import org.cimq.ir.DType;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.Value;

/**
 * {@code AdcQuantize} as {@code Mul(Clip(Round(Div(v, Δ)), lo, hi), Δ)} (zero-tread) or
 * {@code Mul(Add(Clip(Floor(Div(v, Δ)), lo, hi), 0.5), Δ)} (mid-rise), Δ a scalar or the
 * per-column {@code deltas} tensor broadcast against v: the kernel's float32 operations in its order.
 */
final class AdcLowering {
    private AdcLowering() {
    }

    static Value lower(Node node, Emitter e) {
        long levels = node.attrInt("levels", -1);
        if (levels < 2) {
            throw new ExportException(node.describe() + ": attribute levels must be an integer >= 2, got " + levels);
        }
        boolean midRise = node.attrString("quantizer", "zero-tread").equals("mid-rise");
        float lo = levels % 2 == 1 ? -(levels - 1) / 2f : -levels / 2f;
        float hi = levels % 2 == 1 ? (levels - 1) / 2f : levels / 2f - 1;
        Tensor t = node.attrTensor("deltas");
        Value delta = t == null ? e.scalar(node.attrFloat("delta", Float.NaN))
                : e.constant("deltas", t.dtype() == DType.FLOAT ? t : Tensor.ofFloats(t.shape(), t.toFloatArray()));
        Value z = e.op(midRise ? "Floor" : "Round", e.op("Div", node.input(0), delta));
        z = e.clip(z, lo, hi);
        if (midRise) {
            z = e.op("Add", z, e.scalar(0.5f));
        }
        return e.op("Mul", z, delta);
    }
}
