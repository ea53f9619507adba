package org.cimq.data;

import java.util.function.Supplier;

/**
 * An image classification data set: {@link #size()} images of {@code channels × height ×
 * width} bytes with labels in {@code [0, classes)}, read from its files only when
 * {@link #batches} is iterated and normalised with {@link #normalization()}. Immutable;
 * {@link #limit} and {@link #withNormalization} return new views over the same files.
 */
public final class Dataset {
    private final String name;
    private final Split split;
    private final int classes;
    private final int channels;
    private final int height;
    private final int width;
    private final int size;
    private final Normalization normalization;
    private final Supplier<ImageReader> opener;

    Dataset(String name, Split split, int classes, int channels, int height, int width, int size,
            Normalization normalization, Supplier<ImageReader> opener) {
        if (normalization.channels() != channels) {
            throw new IllegalArgumentException(name + " has " + channels + " channel(s); mean and std need "
                    + channels + " value(s) each, got " + normalization.channels());
        }
        this.name = name;
        this.split = split;
        this.classes = classes;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.size = size;
        this.normalization = normalization;
        this.opener = opener;
    }

    public String name() {
        return name;
    }

    public Split split() {
        return split;
    }

    public int classes() {
        return classes;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Number of images (after any limit). */
    public int size() {
        return size;
    }

    public Normalization normalization() {
        return normalization;
    }

    /** The first {@code n} images (all of them when {@code n} is larger than the set). */
    public Dataset limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + n);
        }
        return new Dataset(name, split, classes, channels, height, width, Math.min(n, size), normalization, opener);
    }

    /** @throws IllegalArgumentException when the channel count differs from the data set's */
    public Dataset withNormalization(Normalization n) {
        return new Dataset(name, split, classes, channels, height, width, size, n, opener);
    }

    /** Streams the images in file order, {@code batchSize} at a time; close it to release the files early. */
    public BatchIterator batches(int batchSize) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        return new BatchIterator(this, opener, batchSize);
    }

    @Override
    public String toString() {
        return name + " " + split + " (" + size + " images, " + channels + "x" + height + "x" + width + ", " + classes + " classes)";
    }
}
