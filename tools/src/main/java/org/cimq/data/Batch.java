package org.cimq.data;

import org.cimq.runtime.NdArrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A batch of {@code count} images as float32 NCHW ({@code images.length == count * c * h * w})
 * and their labels. The last batch of a data set may hold fewer images than the batch size.
 */
public record Batch(float[] images, int[] labels, int count, int channels, int height, int width) {
    public Batch {
        if (images.length != (long) count * channels * height * width || labels.length != count) {
            throw new IllegalArgumentException("batch of " + count + " images of " + channels + "x" + height + "x" + width
                    + " needs " + (long) count * channels * height * width + " floats and " + count + " labels, got "
                    + images.length + " and " + labels.length);
        }
    }

    /** The NCHW shape {@code [count, channels, height, width]}. */
    public long[] shape() {
        return new long[] {count, channels, height, width};
    }

    /** The images as a new ND4J float array of {@link #shape()}. */
    public INDArray toNdArray() {
        return NdArrays.floats(images, shape());
    }
}
