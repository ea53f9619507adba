package org.cimq.runtime.kernels;

import static org.cimq.runtime.kernels.ElementwiseTestArrays.assertBools;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.assertFloats;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.assertLongs;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.bools;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.floats;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.ints;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.longs;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.node;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.shape;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cimq.runtime.KernelException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class EqualWhereKernelsTest {
    private static INDArray equal(INDArray a, INDArray b) {
        return new EqualKernel(node("Equal"), 13).run(new INDArray[] {a, b})[0];
    }

    private static INDArray where(INDArray c, INDArray x, INDArray y) {
        return new WhereKernel(node("Where"), 16).run(new INDArray[] {c, x, y})[0];
    }

    @Test
    void equalOnFloatsIntsAndBools() {
        assertBools(equal(floats(shape(3), 1, 2.5f, 3), floats(shape(3), 1, 2, 3)), shape(3), true, false, true);
        assertBools(equal(ints(shape(2, 3), 1, 2, 3, 3, 2, 1), ints(shape(3), 1, 2, 1)), shape(2, 3), true, true, false, false, true, true);
        assertBools(equal(longs(shape(2, 1), 4, 5), longs(shape(), 5)), shape(2, 1), false, true);
        assertBools(equal(bools(shape(2), true, false), bools(shape(2), true, true)), shape(2), true, false);
        assertBools(equal(Nd4j.create(DataType.FLOAT, 0, 2), floats(shape(2), 1, 2)), shape(0, 2));
        assertThrows(KernelException.class, () -> equal(floats(shape(1), 1), longs(shape(1), 1)));
    }

    @Test
    void whereBroadcastsAllThreeInputs() {
        INDArray c = bools(shape(2, 1), true, false);
        INDArray x = floats(shape(3), 1, 2, 3);
        INDArray y = floats(shape(), -1);
        assertFloats(where(c, x, y), shape(2, 3), 1, 2, 3, -1, -1, -1);
        assertFloats(where(bools(shape(3), true, false, true), floats(shape(2, 1), 10, 20), floats(shape(2, 3), 1, 2, 3, 4, 5, 6)),
                shape(2, 3), 10, 2, 10, 20, 5, 20);
    }

    @Test
    void whereOnInt64AndEmpty() {
        assertLongs(where(bools(shape(2, 2), true, false, true, true), longs(shape(2, 2), 1, 2, 3, 4), longs(shape(2, 2), 9, 8, 7, 6)),
                DataType.LONG, shape(2, 2), 1, 8, 3, 4);
        assertFloats(where(Nd4j.create(DataType.BOOL, 0), floats(shape(1), 1), floats(shape(1), 2)), shape(0));
        assertThrows(KernelException.class, () -> where(floats(shape(1), 1), floats(shape(1), 1), floats(shape(1), 2)));
    }
}
