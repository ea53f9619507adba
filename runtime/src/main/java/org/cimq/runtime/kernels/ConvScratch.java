package org.cimq.runtime.kernels;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One scratch buffer per thread for {@link BatchSplitConv2d#runThroughScratch}, grown to the
 * largest chunk asked for and reused, so that a convolution merged into an existing array
 * allocates nothing (a fresh ND4J array costs page faults: ~3.5 ms for 6.5 MB here).
 */
final class ConvScratch {
    private static final ThreadLocal<INDArray> BUFFER = new ThreadLocal<>();

    private ConvScratch() {
    }

    /** A C-ordered [n, c, h, w] array of this thread's scratch, contents undefined, valid until its next call. */
    static INDArray get(DataType type, long n, long c, long h, long w) {
        long length = n * c * h * w;
        INDArray buffer = BUFFER.get();
        if (buffer == null || buffer.dataType() != type || buffer.length() < length) {
            buffer = Nd4j.createUninitialized(type, length);
            BUFFER.set(buffer);
        }
        return buffer.get(NDArrayIndex.interval(0, length)).reshape('c', n, c, h, w);
    }
}
