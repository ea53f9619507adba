package org.cimq.runtime.kernels;

import static org.cimq.runtime.kernels.KernelTestSupport.assertArray;
import static org.cimq.runtime.kernels.KernelTestSupport.i;
import static org.cimq.runtime.kernels.KernelTestSupport.ints;
import static org.cimq.runtime.kernels.KernelTestSupport.iota;
import static org.cimq.runtime.kernels.KernelTestSupport.longs;
import static org.cimq.runtime.kernels.KernelTestSupport.node;
import static org.cimq.runtime.kernels.KernelTestSupport.shape;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cimq.runtime.KernelException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Flatten, Reshape, Transpose, Squeeze, Unsqueeze, Shape, Expand, Concat and Split against hand-computed results. */
class ShapeKernelsTest {
    private static INDArray run1(org.cimq.runtime.Kernel k, INDArray... in) {
        return k.run(in)[0];
    }

    @Test
    void flattenAxes() {
        INDArray x = iota(2, 3, 4);
        assertArray(run1(new FlattenKernel(node("Flatten", 1), 13), x), DataType.FLOAT, shape(2, 12), iota(24).toDoubleVector());
        assertArray(run1(new FlattenKernel(node("Flatten", 1, "axis", i(0)), 13), x), DataType.FLOAT, shape(1, 24), iota(24).toDoubleVector());
        assertArray(run1(new FlattenKernel(node("Flatten", 1, "axis", i(-1)), 13), x), DataType.FLOAT, shape(6, 4), iota(24).toDoubleVector());
        assertArray(run1(new FlattenKernel(node("Flatten", 1, "axis", i(3)), 13), x), DataType.FLOAT, shape(24, 1), iota(24).toDoubleVector());
    }

    @Test
    void reshapeCopiesZerosInfersMinusOneAndHonoursAllowZero() {
        INDArray x = iota(2, 3, 4);
        assertArray(run1(new ReshapeKernel(node("Reshape", 1), 13), x, longs(0, -1)), DataType.FLOAT, shape(2, 12), iota(24).toDoubleVector());
        assertArray(run1(new ReshapeKernel(node("Reshape", 1), 13), x, longs(4, 0, -1)), DataType.FLOAT, shape(4, 3, 2), iota(24).toDoubleVector());
        INDArray empty = Nd4j.create(DataType.FLOAT, 0, 3);
        assertArray(run1(new ReshapeKernel(node("Reshape", 1, "allowzero", i(1)), 14), empty, longs(3, 0)), DataType.FLOAT, shape(3, 0));
        assertArray(run1(new ReshapeKernel(node("Reshape", 1), 14), Nd4j.createFromArray(7f), longs()), DataType.FLOAT, shape(), 7);
        assertThrows(KernelException.class, () -> new ReshapeKernel(node("Reshape", 1), 13).run(new INDArray[] {x, longs(5, -1)}));
    }

    @Test
    void transposeDefaultReversesAndPermIsApplied() {
        INDArray x = iota(2, 3);
        assertArray(run1(new TransposeKernel(node("Transpose", 1), 13), x), DataType.FLOAT, shape(3, 2), 0, 3, 1, 4, 2, 5);
        INDArray y = run1(new TransposeKernel(node("Transpose", 1, "perm", ints(1, 2, 0)), 13), iota(2, 2, 3));
        assertArray(y, DataType.FLOAT, shape(2, 3, 2), 0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11);
    }

    @Test
    void squeezeAndUnsqueezeWithAttributeAndInputAxes() {
        INDArray x = iota(1, 3, 1);
        assertArray(run1(new SqueezeKernel(node("Squeeze", 1), 13), x), DataType.FLOAT, shape(3), 0, 1, 2);
        assertArray(run1(new SqueezeKernel(node("Squeeze", 1), 13), x, longs(-1)), DataType.FLOAT, shape(1, 3), 0, 1, 2);
        assertArray(run1(new SqueezeKernel(node("Squeeze", 1, "axes", ints(0)), 11), x), DataType.FLOAT, shape(3, 1), 0, 1, 2);
        assertThrows(KernelException.class, () -> new SqueezeKernel(node("Squeeze", 1), 13).run(new INDArray[] {x, longs(1)}));
        INDArray v = iota(3);
        assertArray(run1(new UnsqueezeKernel(node("Unsqueeze", 1), 13), v, longs(2, 0)), DataType.FLOAT, shape(1, 3, 1), 0, 1, 2);
        assertArray(run1(new UnsqueezeKernel(node("Unsqueeze", 1, "axes", ints(-1)), 11), v), DataType.FLOAT, shape(3, 1), 0, 1, 2);
        assertArray(run1(new UnsqueezeKernel(node("Unsqueeze", 1), 13), Nd4j.scalar(5L), longs(0)), DataType.LONG, shape(1), 5);
    }

    @Test
    void shapeWithStartAndEnd() {
        INDArray x = Nd4j.create(DataType.FLOAT, 2, 0, 4);
        assertArray(run1(new ShapeKernel(node("Shape", 1), 13), x), DataType.LONG, shape(3), 2, 0, 4);
        assertArray(run1(new ShapeKernel(node("Shape", 1, "start", i(-2)), 15), x), DataType.LONG, shape(2), 0, 4);
        assertArray(run1(new ShapeKernel(node("Shape", 1, "start", i(1), "end", i(-1)), 15), x), DataType.LONG, shape(1), 0);
        assertArray(run1(new ShapeKernel(node("Shape", 1, "start", i(5)), 15), x), DataType.LONG, shape(0));
        assertArray(run1(new ShapeKernel(node("Shape", 1), 15), Nd4j.scalar(1f)), DataType.LONG, shape(0));
    }

    @Test
    void expandBroadcastsBothWays() {
        INDArray x = Nd4j.createFromArray(new float[][] {{1}, {2}});
        assertArray(run1(new ExpandKernel(node("Expand", 1), 13), x, longs(2, 1, 3)), DataType.FLOAT, shape(2, 2, 3),
                1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2);
        assertArray(run1(new ExpandKernel(node("Expand", 1), 13), Nd4j.createFromArray(1f, 2f, 3f), longs(2, 1)), DataType.FLOAT,
                shape(2, 3), 1, 2, 3, 1, 2, 3);
        assertThrows(KernelException.class, () -> new ExpandKernel(node("Expand", 1), 13).run(new INDArray[] {x, longs(3, 1)}));
    }

    @Test
    void concatNegativeAxisAndEmptyParts() {
        INDArray a = iota(2, 1);
        INDArray b = iota(2, 2).add(10);
        INDArray e = Nd4j.create(DataType.FLOAT, 2, 0);
        assertArray(run1(new ConcatKernel(node("Concat", 1, "axis", i(-1)), 13), a, e, b), DataType.FLOAT, shape(2, 3), 0, 10, 11, 1, 12, 13);
        assertArray(run1(new ConcatKernel(node("Concat", 1, "axis", i(0)), 13), a, a), DataType.FLOAT, shape(4, 1), 0, 1, 0, 1);
        assertThrows(KernelException.class, () -> new ConcatKernel(node("Concat", 1), 13));
    }

    @Test
    void splitEvenByAttributeByInputAndUnevenNumOutputs() {
        INDArray x = iota(2, 6);
        INDArray[] even = new SplitKernel(node("Split", 3, "axis", i(1)), 13).run(new INDArray[] {x});
        assertArray(even[2], DataType.FLOAT, shape(2, 2), 4, 5, 10, 11);
        INDArray[] attr = new SplitKernel(node("Split", 2, "axis", i(-1), "split", ints(1, 5)), 11).run(new INDArray[] {x});
        assertArray(attr[0], DataType.FLOAT, shape(2, 1), 0, 6);
        INDArray[] input = new SplitKernel(node("Split", 2), 13).run(new INDArray[] {x, longs(2, 0)});
        assertArray(input[0], DataType.FLOAT, shape(2, 6), iota(12).toDoubleVector());
        assertArray(input[1], DataType.FLOAT, shape(0, 6));
        INDArray[] uneven = new SplitKernel(node("Split", 4, "num_outputs", i(4)), 18).run(new INDArray[] {iota(7)});
        assertArray(uneven[0], DataType.FLOAT, shape(2), 0, 1);
        assertArray(uneven[3], DataType.FLOAT, shape(1), 6);
        assertThrows(KernelException.class, () -> new SplitKernel(node("Split", 4), 13).run(new INDArray[] {iota(7)}));
    }
}
