package org.cimq.cim;

import org.cimq.ir.DType;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;

/**
 * A mapped layer's weight as a QDQ model gives it: {@code DequantizeLinear(q, scale, zero_point)}
 * of a constant integer tensor, per tensor or per output channel.
 *
 * @param dequantize   the DequantizeLinear node
 * @param type         the integers' element type (int8, uint8 or int32)
 * @param dequantized  {@code (q − zero_point) · scale} in float32, in the layer's weight layout as
 *                     the model holds it (Gemm's transB not applied), as DequantizeLinear computes it
 * @param q            the integers in {@link MappedLayer#weight()}'s layout (transB applied)
 * @param scales       one scale per output channel (a per-tensor scale repeated)
 * @param zeroPoints   one zero point per output channel (0 when absent)
 */
public record QdqWeight(Node dequantize, DType type, Tensor dequantized, int[] q, float[] scales, long[] zeroPoints) {
    /** Whether every zero point is 0, as CIM's signed weight slices need. */
    public boolean symmetric() {
        for (long z : zeroPoints) {
            if (z != 0) {
                return false;
            }
        }
        return true;
    }
}
