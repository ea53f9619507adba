package org.cimq.runtime.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Elementwise work done on a convolution's output right after it is computed, one range of images at a time. */
@FunctionalInterface
interface ConvEpilogue {
    /** Updates {@code y}, the output of images [from, to) of the batch, in place. */
    void apply(INDArray y, long from, long to);
}
