package org.cimq.runtime.kernels;

import static org.cimq.runtime.kernels.KernelTestSupport.assertArray;
import static org.cimq.runtime.kernels.KernelTestSupport.i;
import static org.cimq.runtime.kernels.KernelTestSupport.ints;
import static org.cimq.runtime.kernels.KernelTestSupport.iota;
import static org.cimq.runtime.kernels.KernelTestSupport.longs;
import static org.cimq.runtime.kernels.KernelTestSupport.node;
import static org.cimq.runtime.kernels.KernelTestSupport.shape;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cimq.ir.Attr;
import org.cimq.runtime.KernelException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Slice, Pad and Gather against hand-computed results. */
class IndexingKernelsTest {
    private static final INDArray ABSENT = null;

    @Test
    void sliceWithAttributesBeforeOpset10() {
        SliceKernel k = new SliceKernel(node("Slice", 1, "starts", ints(1, 0), "ends", ints(2, -1), "axes", ints(0, 1)), 9);
        assertArray(k.run(new INDArray[] {iota(3, 4)})[0], DataType.FLOAT, shape(1, 3), 4, 5, 6);
    }

    @Test
    void sliceStepsNegativeIndicesAndClamping() {
        SliceKernel k = new SliceKernel(node("Slice", 1), 13);
        INDArray x = iota(3, 5);
        assertArray(k.run(new INDArray[] {x, longs(0, 1), longs(Long.MAX_VALUE, 1000), longs(0, 1), longs(2, 2)})[0],
                DataType.FLOAT, shape(2, 2), 1, 3, 11, 13);
        assertArray(k.run(new INDArray[] {x, longs(-1), longs(Long.MIN_VALUE), longs(1), longs(-2)})[0],
                DataType.FLOAT, shape(3, 3), 4, 2, 0, 9, 7, 5, 14, 12, 10);
        assertArray(k.run(new INDArray[] {x, Nd4j.createFromArray(10), Nd4j.createFromArray(-10), Nd4j.createFromArray(0),
            Nd4j.createFromArray(-1)})[0], DataType.FLOAT, shape(3, 5), 10, 11, 12, 13, 14, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4);
        assertArray(k.run(new INDArray[] {x, longs(3), longs(1), ABSENT, ABSENT})[0], DataType.FLOAT, shape(0, 5));
        assertThrows(KernelException.class, () -> k.run(new INDArray[] {x, longs(0), longs(1), longs(0), longs(0)}));
    }

    @Test
    void padConstantWithValueAndCrop() {
        PadKernel k = new PadKernel(node("Pad", 1), 13);
        INDArray x = iota(2, 2);
        assertArray(k.run(new INDArray[] {x, longs(0, 1, 1, -1), Nd4j.scalar(9f)})[0], DataType.FLOAT, shape(3, 2),
                9, 0, 9, 2, 9, 9);
        PadKernel old = new PadKernel(node("Pad", 1, "pads", ints(1, 0, 0, 0), "value", new Attr.FloatAttr(-1)), 2);
        assertArray(old.run(new INDArray[] {x})[0], DataType.FLOAT, shape(3, 2), -1, -1, 0, 1, 2, 3);
    }

    @Test
    void padReflectEdgeAndAxesInput() {
        INDArray x = Nd4j.createFromArray(new float[][] {{1, 2, 3}});
        PadKernel reflect = new PadKernel(node("Pad", 1, "mode", Attr.StringAttr.of("reflect")), 13);
        assertArray(reflect.run(new INDArray[] {x, longs(0, 2, 0, 2)})[0], DataType.FLOAT, shape(1, 7), 3, 2, 1, 2, 3, 2, 1);
        PadKernel edge = new PadKernel(node("Pad", 1, "mode", Attr.StringAttr.of("edge")), 18);
        PadKernel edge13 = new PadKernel(node("Pad", 1, "mode", Attr.StringAttr.of("edge")), 13);
        assertArray(edge.run(new INDArray[] {x, longs(1, 2), ABSENT, longs(-1)})[0], DataType.FLOAT, shape(1, 6), 1, 1, 2, 3, 3, 3);
        assertArray(edge13.run(new INDArray[] {x, longs(1, 0, 0, -2)})[0], DataType.FLOAT, shape(2, 1), 1, 1);
        assertThrows(KernelException.class, () -> new PadKernel(node("Pad", 1, "mode", Attr.StringAttr.of("wrap")), 19));
    }

    @Test
    void gatherScalarMatrixAndNegativeIndices() {
        INDArray x = iota(3, 2);
        GatherKernel rows = new GatherKernel(node("Gather", 1), 13);
        assertArray(rows.run(new INDArray[] {x, Nd4j.scalar(-1L)})[0], DataType.FLOAT, shape(2), 4, 5);
        assertArray(rows.run(new INDArray[] {x, Nd4j.createFromArray(new int[][] {{0, 2}, {1, 0}})})[0], DataType.FLOAT,
                shape(2, 2, 2), 0, 1, 4, 5, 2, 3, 0, 1);
        GatherKernel cols = new GatherKernel(node("Gather", 1, "axis", i(-1)), 13);
        assertArray(cols.run(new INDArray[] {x, longs(1, -2)})[0], DataType.FLOAT, shape(3, 2), 1, 0, 3, 2, 5, 4);
        assertArray(cols.run(new INDArray[] {Nd4j.createFromArray(7L, 8L), longs()})[0], DataType.LONG, shape(0));
        assertThrows(KernelException.class, () -> rows.run(new INDArray[] {x, longs(3)}));
    }
}
