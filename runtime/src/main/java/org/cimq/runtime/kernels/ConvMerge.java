package org.cimq.runtime.kernels;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Writes a range of images' convolution output ({@code y}, scratch) into {@code target}, the same range of the node's output. */
@FunctionalInterface
interface ConvMerge {
    void apply(INDArray y, INDArray target);
}
