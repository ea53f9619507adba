package org.cimq.runtime;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The computation of one node, bound to that node's attributes when it was created by its
 * {@link KernelFactory}. {@code inputs[i]} is null for an absent optional input. Returns one
 * array per node output (null for outputs it does not produce). Kernels must not modify
 * their inputs: they may be constants or other nodes' outputs.
 */
@FunctionalInterface
public interface Kernel {
    INDArray[] run(INDArray[] inputs);
}
