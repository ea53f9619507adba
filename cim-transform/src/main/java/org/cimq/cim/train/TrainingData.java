package org.cimq.cim.train;

/**
 * Training images held in memory, normalised, NCHW float32, with labels in [0, classes).
 *
 * @param augment random crop (pad 4) and horizontal flip per image and step
 */
public record TrainingData(float[] images, int[] labels, int count, int channels, int height, int width, int classes,
                           boolean augment) {
    public TrainingData {
        if (images.length != (long) count * channels * height * width || labels.length != count) {
            throw new IllegalArgumentException("training data of " + count + " images needs " + (long) count * channels * height * width
                    + " floats and " + count + " labels, got " + images.length + " and " + labels.length);
        }
    }

    public int imageSize() {
        return channels * height * width;
    }
}
