package org.cimq.cim;

import org.cimq.ir.DType;
import org.cimq.ir.Node;
import org.cimq.ir.Value;

/**
 * A mapped layer's input as a QDQ model gives it: {@code x → QuantizeLinear(s, zp) →
 * DequantizeLinear(s, zp) → layer}, per tensor, both nodes with the same scale and zero point,
 * possibly with value-preserving ops (Flatten, Reshape, MaxPool, …) before the layer.
 *
 * @param quantize   the QuantizeLinear node
 * @param dequantize the DequantizeLinear node (its output is the layer's input)
 * @param source     x, QuantizeLinear's float input, when DequantizeLinear feeds the layer directly
 *                   (else null: the layer's own input is quantized)
 * @param scale      s
 * @param zeroPoint  zp (0 when absent)
 * @param type       the codes' element type, uint8 or int8
 */
public record QdqInput(Node quantize, Node dequantize, Value source, float scale, long zeroPoint, DType type) {
    /** Bits per code. */
    public int bits() {
        return 8;
    }

    /** Smallest code QuantizeLinear saturates to. */
    public long min() {
        return type == DType.INT8 ? -128 : 0;
    }

    /** Largest code QuantizeLinear saturates to. */
    public long max() {
        return type == DType.INT8 ? 127 : 255;
    }

    /** Whether codes can be negative. */
    public boolean signed() {
        return type == DType.INT8;
    }
}
