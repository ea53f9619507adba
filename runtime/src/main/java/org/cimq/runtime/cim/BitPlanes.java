package org.cimq.runtime.cim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Splits integer input codes into the digit planes applied to the arrays cycle by cycle
 * ({@link InputMode}): codes of shape S become planes of shape [P, S], each digit in [0, 2^d).
 */
final class BitPlanes {
    private BitPlanes() {
    }

    static INDArray of(INDArray codes, InputMode mode, int bits, int dacBits) {
        float[] a = codes.dup('c').data().asFloat();
        int planes = mode.planes(bits, dacBits);
        float[] out = new float[planes * a.length];
        if (mode == InputMode.UNSIGNED) {
            int mask = (1 << dacBits) - 1;
            for (int p = 0; p < planes; p++) {
                int base = p * a.length;
                int shift = p * dacBits;
                for (int k = 0; k < a.length; k++) {
                    out[base + k] = ((int) a[k] >> shift) & mask;
                }
            }
        } else {
            for (int p = 0; p < planes; p++) {
                int base = p * a.length;
                for (int k = 0; k < a.length; k++) {
                    out[base + k] = mode.digit((long) a[k], p, bits, dacBits);
                }
            }
        }
        long[] shape = new long[codes.rank() + 1];
        shape[0] = planes;
        System.arraycopy(codes.shape(), 0, shape, 1, codes.rank());
        return Nd4j.create(out, shape, 'c');
    }
}
