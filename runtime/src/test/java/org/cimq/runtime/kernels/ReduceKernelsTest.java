package org.cimq.runtime.kernels;

import static org.cimq.runtime.kernels.KernelTestSupport.assertArray;
import static org.cimq.runtime.kernels.KernelTestSupport.i;
import static org.cimq.runtime.kernels.KernelTestSupport.ints;
import static org.cimq.runtime.kernels.KernelTestSupport.iota;
import static org.cimq.runtime.kernels.KernelTestSupport.longs;
import static org.cimq.runtime.kernels.KernelTestSupport.node;
import static org.cimq.runtime.kernels.KernelTestSupport.shape;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ReduceMean, ReduceSum and ReduceMax: axes as attribute and input, keepdims, noop_with_empty_axes. */
class ReduceKernelsTest {
    private final INDArray x = iota(2, 3);

    @Test
    void meanWithAttributeAxesBeforeOpset18AndInputAxesFrom18() {
        assertArray(new ReduceMeanKernel(node("ReduceMean", 1, "axes", ints(-1)), 13).run(new INDArray[] {x})[0],
                DataType.FLOAT, shape(2, 1), 1, 4);
        assertArray(new ReduceMeanKernel(node("ReduceMean", 1, "keepdims", i(0)), 18).run(new INDArray[] {x, longs(0)})[0],
                DataType.FLOAT, shape(3), 1.5, 2.5, 3.5);
        assertArray(new ReduceMeanKernel(node("ReduceMean", 1, "keepdims", i(0)), 13).run(new INDArray[] {x})[0],
                DataType.FLOAT, shape(), 2.5);
    }

    @Test
    void sumWithInputAxesNoopAndIntegers() {
        ReduceSumKernel k = new ReduceSumKernel(node("ReduceSum", 1), 13);
        assertArray(k.run(new INDArray[] {x, longs(1)})[0], DataType.FLOAT, shape(2, 1), 3, 12);
        assertArray(k.run(new INDArray[] {x})[0], DataType.FLOAT, shape(1, 1), 15);
        ReduceSumKernel noop = new ReduceSumKernel(node("ReduceSum", 1, "noop_with_empty_axes", i(1)), 13);
        assertArray(noop.run(new INDArray[] {x, longs()})[0], DataType.FLOAT, shape(2, 3), 0, 1, 2, 3, 4, 5);
        assertArray(new ReduceSumKernel(node("ReduceSum", 1, "axes", ints(0), "keepdims", i(0)), 11)
                .run(new INDArray[] {Nd4j.createFromArray(new long[][] {{1, 2}, {3, 4}})})[0], DataType.LONG, shape(2), 4, 6);
        assertArray(k.run(new INDArray[] {Nd4j.create(DataType.FLOAT, 0, 2), longs(0)})[0], DataType.FLOAT, shape(1, 2), 0, 0);
    }

    @Test
    void maxOverSeveralAxes() {
        INDArray y = Nd4j.createFromArray(new float[][][] {{{1, -2}, {7, 3}}, {{-5, 4}, {0, 6}}});
        assertArray(new ReduceMaxKernel(node("ReduceMax", 1, "axes", ints(0, 2)), 13).run(new INDArray[] {y})[0],
                DataType.FLOAT, shape(1, 2, 1), 4, 7);
        assertArray(new ReduceMaxKernel(node("ReduceMax", 1, "keepdims", i(0)), 18).run(new INDArray[] {y, longs(-1)})[0],
                DataType.FLOAT, shape(2, 2), 1, 7, 4, 6);
    }
}
