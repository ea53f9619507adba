package org.cimq.runtime.cim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The offset weight scheme's reference columns, as {@link ShiftAddKernel} handles them: the
 * channels along {@code channelAxis} come in {@code groups} blocks, each ending with its reference
 * column, which is subtracted (float32) from the block's other columns and dropped.
 */
final class ReferenceColumns {
    private ReferenceColumns() {
    }

    /** The output array; with reference columns, each group's last column subtracted from its others and dropped. */
    static INDArray subtract(float[] out, long[] shape, int channelAxis, int groups) {
        long[] rs = shape.clone();
        rs[channelAxis] = shape[channelAxis] - groups;
        return Nd4j.create(subtracted(out, shape, channelAxis, groups), rs, 'c');
    }

    /** {@link #subtract}'s values (shape: {@code shape} with {@code groups} fewer channels). */
    static float[] subtracted(float[] out, long[] shape, int channelAxis, int groups) {
        int channels = (int) shape[channelAxis];
        int block = channels / groups;
        long outer = 1;
        for (int i = 0; i < channelAxis; i++) {
            outer *= shape[i];
        }
        long inner = 1;
        for (int i = channelAxis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        int kept = channels - groups;
        float[] r = new float[(int) (outer * kept * inner)];
        for (long o = 0; o < outer; o++) {
            for (int g = 0; g < groups; g++) {
                long ref = (o * channels + (long) g * block + block - 1) * inner;
                for (int c = 0; c < block - 1; c++) {
                    long src = (o * channels + (long) g * block + c) * inner;
                    long dst = (o * kept + (long) g * (block - 1) + c) * inner;
                    for (long x = 0; x < inner; x++) {
                        r[(int) (dst + x)] = out[(int) (src + x)] - out[(int) (ref + x)];
                    }
                }
            }
        }
        return r;
    }
}
