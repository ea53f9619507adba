package org.cimq.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * Reads a {@link Dataset} batch by batch, holding one image's bytes and one batch of floats
 * at a time. The files are opened on the first {@link #next()} and closed after the last
 * batch or by {@link #close()}.
 */
public final class BatchIterator implements Iterator<Batch>, AutoCloseable {
    private final Dataset dataset;
    private final Supplier<ImageReader> opener;
    private final int batchSize;
    private final byte[] pixels;
    private ImageReader reader;
    private int done;

    BatchIterator(Dataset dataset, Supplier<ImageReader> opener, int batchSize) {
        this.dataset = dataset;
        this.opener = opener;
        this.batchSize = batchSize;
        this.pixels = new byte[dataset.channels() * dataset.height() * dataset.width()];
    }

    @Override
    public boolean hasNext() {
        return done < dataset.size();
    }

    @Override
    public Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("all " + dataset.size() + " images of " + dataset.name() + " were read");
        }
        if (reader == null) {
            reader = opener.get();
        }
        int n = Math.min(batchSize, dataset.size() - done);
        float[] images = new float[n * pixels.length];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = reader.read(pixels);
            dataset.normalization().apply(pixels, images, i * pixels.length);
        }
        done += n;
        if (!hasNext()) {
            close();
        }
        return new Batch(images, labels, n, dataset.channels(), dataset.height(), dataset.width());
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
            reader = null;
        }
    }
}
