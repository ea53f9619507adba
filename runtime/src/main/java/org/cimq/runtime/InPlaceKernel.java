package org.cimq.runtime;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A kernel that can write its first output over its first input. The {@link Executor} calls
 * {@link #runInPlace} only when that input is dead after the node and no other live value,
 * constant or graph input shares its buffer; the kernel may still decline (shape or type
 * change) and allocate as {@link #run} does, or return null, having written nothing: the executor
 * then runs the node as if it were not in place (into a spare array where it can).
 */
public interface InPlaceKernel extends Kernel {
    INDArray[] runInPlace(INDArray[] inputs);
}
