package org.cimq.data;

import java.io.Closeable;

/** Reads images one after another from a data set's files. */
interface ImageReader extends Closeable {
    /**
     * Reads the next image's bytes (CHW) into {@code pixels} and returns its label, already
     * checked to lie in {@code [0, classes)}.
     *
     * @throws DataException naming the file when it ends early or a label is out of range
     */
    int read(byte[] pixels);

    @Override
    void close();
}
