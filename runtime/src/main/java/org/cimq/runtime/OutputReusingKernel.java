package org.cimq.runtime;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A kernel that can write its first output into an array the {@link Executor} hands it: the
 * buffer of a value that died earlier in the same run, with the output's shape and type, that no
 * live value shares. Fresh arrays cost page faults on first touch (about 2 ms for a 6.5 MB
 * activation of ResNet-20 at batch 100), so reusing dead ones saves that on every such node.
 */
public interface OutputReusingKernel extends Kernel {
    /**
     * The first output's shape and float32 type for these inputs, or null where the kernel
     * would not write into a given array (another type, or an input it does not take).
     */
    long[] reusableOutputShape(INDArray[] inputs);

    /**
     * As {@link #run}, with the first output written into {@code out} (c order, the shape
     * {@link #reusableOutputShape} gave, contents undefined) and returned as the first result;
     * null, having written nothing, where the kernel declines.
     */
    INDArray[] runInto(INDArray[] inputs, INDArray out);
}
