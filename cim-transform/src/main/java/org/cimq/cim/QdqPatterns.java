package org.cimq.cim;

import java.util.Set;
import org.cimq.ir.DType;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.Value;

/**
 * Recognises the QuantizeLinear/DequantizeLinear patterns of a QDQ model around a Conv, Gemm or
 * MatMul (as PyTorch's quantization-aware training and ONNX Runtime's quantizer export them):
 * a DequantizeLinear of a constant integer tensor as the weight, and a QuantizeLinear →
 * DequantizeLinear pair with equal per-tensor parameters as the input.
 */
final class QdqPatterns {
    private static final Set<DType> WEIGHT_TYPES = Set.of(DType.INT8, DType.UINT8, DType.INT32);
    private static final Set<DType> INPUT_TYPES = Set.of(DType.INT8, DType.UINT8);
    private static final Set<String> VALUE_PRESERVING = Set.of("Flatten", "Reshape", "Squeeze", "Unsqueeze", "Transpose",
            "MaxPool", "Identity");

    private QdqPatterns() {
    }

    /** The layer's weight if a DequantizeLinear of integer constants produces it, else null. */
    static QdqWeight weight(Node layer) {
        Node dq = producer(layer.input(1), "DequantizeLinear");
        if (dq == null || !constant(dq.input(0)) || !WEIGHT_TYPES.contains(dq.input(0).constant().dtype())
                || !constant(dq.input(1)) || !optionalConstant(dq.input(2))) {
            return null;
        }
        Tensor q = dq.input(0).constant();
        if (layer.opType().equals("MatMul") && q.rank() != 2 || layer.opType().equals("Gemm") && q.rank() != 2) {
            return null;
        }
        int axis = outputAxis(layer);
        int channels = (int) q.shape()[axis];
        float[] scale = dq.input(1).constant().toFloatArray();
        long[] zp = dq.input(2) == null ? new long[] {0} : dq.input(2).constant().toLongArray();
        if (scale.length != 1 || zp.length != 1) {
            long given = dq.attrInt("axis", 1);
            long normalized = given < 0 ? given + q.rank() : given;
            if (normalized != axis || scale.length != channels || zp.length != 1 && zp.length != channels) {
                throw new CimTransformException(dq.describe() + " (weight of " + layer.describe() + "): scales along axis "
                        + given + " of shape " + java.util.Arrays.toString(q.shape()) + " cannot be mapped; only per-tensor "
                        + "or per-output-channel (axis " + axis + ", " + channels + " scales) weights can");
            }
        }
        float[] scales = new float[channels];
        long[] zeroPoints = new long[channels];
        for (int c = 0; c < channels; c++) {
            scales[c] = scale[scale.length == 1 ? 0 : c];
            zeroPoints[c] = zp[zp.length == 1 ? 0 : c];
        }
        long[] shape = q.shape();
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= (int) shape[d];
        }
        long[] raw = q.toLongArray();
        float[] values = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            int c = (i / inner) % channels;
            values[i] = (float) ((double) (raw[i] - zeroPoints[c]) * scales[c]);
        }
        boolean transposed = layer.opType().equals("Gemm") && layer.attrInt("transB", 0) != 0;
        int[] ints = new int[raw.length];
        int rows = (int) shape[0];
        int cols = raw.length / rows;
        for (int i = 0; i < raw.length; i++) {
            ints[transposed ? (i % cols) * rows + i / cols : i] = (int) raw[i];
        }
        return new QdqWeight(dq, q.dtype(), Tensor.ofFloats(shape, values), ints, scales, zeroPoints);
    }

    /**
     * The QuantizeLinear → DequantizeLinear pair the layer reads, directly or through ops whose
     * every output element is one of their input's elements ({@link #VALUE_PRESERVING}), or null.
     */
    static QdqInput input(Node layer) {
        Value v = layer.input(0);
        boolean direct = true;
        while (v != null && v.producer() != null && v.producer().domain().isEmpty()
                && VALUE_PRESERVING.contains(v.producer().opType()) && v.producer().output(0) == v) {
            v = v.producer().input(0);
            direct = false;
        }
        Node dq = producer(v, "DequantizeLinear");
        Node q = dq == null ? null : producer(dq.input(0), "QuantizeLinear");
        if (q == null || !constant(q.input(1)) || !constant(dq.input(1)) || !optionalConstant(q.input(2))
                || !optionalConstant(dq.input(2))) {
            return null;
        }
        float[] s = q.input(1).constant().toFloatArray();
        float[] s2 = dq.input(1).constant().toFloatArray();
        Tensor zq = q.input(2) == null ? null : q.input(2).constant();
        Tensor zdq = dq.input(2) == null ? null : dq.input(2).constant();
        if (s.length != 1 || s2.length != 1 || s[0] != s2[0] || (zq == null) != (zdq == null) || zq != null
                && (zq.numel() != 1 || zdq.numel() != 1 || zq.getLong(0) != zdq.getLong(0))) {
            return null;
        }
        DType type = zq == null ? DType.UINT8 : zq.dtype();
        if (!INPUT_TYPES.contains(type) || !(s[0] > 0) || Float.isInfinite(s[0])) {
            return null;
        }
        return new QdqInput(q, dq, direct ? q.input(0) : null, s[0], zq == null ? 0 : zq.getLong(0), type);
    }

    /** The output-channel axis of the weight as the model holds it. */
    private static int outputAxis(Node layer) {
        return switch (layer.opType()) {
            case "Conv" -> 0;
            case "Gemm" -> layer.attrInt("transB", 0) != 0 ? 0 : 1;
            default -> 1;
        };
    }

    private static boolean optionalConstant(Value v) {
        return v == null || v.isConstant();
    }

    private static Node producer(Value v, String op) {
        Node p = v == null ? null : v.producer();
        return p != null && p.domain().isEmpty() && p.opType().equals(op) ? p : null;
    }

    private static boolean constant(Value v) {
        return v != null && v.isConstant();
    }
}
