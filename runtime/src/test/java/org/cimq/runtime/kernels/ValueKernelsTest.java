package org.cimq.runtime.kernels;

import static org.cimq.runtime.kernels.KernelTestSupport.assertArray;
import static org.cimq.runtime.kernels.KernelTestSupport.i;
import static org.cimq.runtime.kernels.KernelTestSupport.ints;
import static org.cimq.runtime.kernels.KernelTestSupport.longs;
import static org.cimq.runtime.kernels.KernelTestSupport.node;
import static org.cimq.runtime.kernels.KernelTestSupport.shape;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.cimq.ir.Attr;
import org.cimq.ir.Tensor;
import org.cimq.runtime.KernelException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Constant, ConstantOfShape, Cast and Range against hand-computed results. */
class ValueKernelsTest {
    private static final INDArray[] NONE = new INDArray[0];

    @Test
    void constantFromEachValueAttribute() {
        Tensor t = Tensor.ofInts(new long[] {2}, 4, -5);
        assertArray(new ConstantKernel(node("Constant", 1, "value", new Attr.TensorAttr(t)), 13).run(NONE)[0],
                DataType.INT, shape(2), 4, -5);
        assertArray(new ConstantKernel(node("Constant", 1, "value_float", new Attr.FloatAttr(1.5f)), 13).run(NONE)[0],
                DataType.FLOAT, shape(), 1.5);
        assertArray(new ConstantKernel(node("Constant", 1, "value_floats", new Attr.FloatsAttr(List.of(1f, 2f))), 13).run(NONE)[0],
                DataType.FLOAT, shape(2), 1, 2);
        assertArray(new ConstantKernel(node("Constant", 1, "value_int", i(7)), 13).run(NONE)[0], DataType.LONG, shape(), 7);
        assertArray(new ConstantKernel(node("Constant", 1, "value_ints", ints(3, 4, 5)), 13).run(NONE)[0],
                DataType.LONG, shape(3), 3, 4, 5);
        assertThrows(KernelException.class,
                () -> new ConstantKernel(node("Constant", 1, "value_string", Attr.StringAttr.of("a")), 13));
    }

    @Test
    void constantOfShapeDefaultValueAndScalar() {
        assertArray(new ConstantOfShapeKernel(node("ConstantOfShape", 1), 9).run(new INDArray[] {longs(2, 1)})[0],
                DataType.FLOAT, shape(2, 1), 0, 0);
        ConstantOfShapeKernel k = new ConstantOfShapeKernel(node("ConstantOfShape", 1, "value",
                new Attr.TensorAttr(Tensor.ofLongs(new long[] {1}, 6))), 9);
        assertArray(k.run(new INDArray[] {longs(3)})[0], DataType.LONG, shape(3), 6, 6, 6);
        assertArray(k.run(new INDArray[] {longs()})[0], DataType.LONG, shape(), 6);
        assertArray(k.run(new INDArray[] {longs(2, 0)})[0], DataType.LONG, shape(2, 0));
    }

    @Test
    void castTruncatesToIntegersAndMapsNonZeroToTrue() {
        INDArray x = Nd4j.createFromArray(-1.7f, 2.9f, 0f, 0.25f);
        assertArray(new CastKernel(node("Cast", 1, "to", i(6)), 13).run(new INDArray[] {x})[0], DataType.INT, shape(4), -1, 2, 0, 0);
        assertArray(new CastKernel(node("Cast", 1, "to", i(9)), 13).run(new INDArray[] {x})[0], DataType.BOOL, shape(4), 1, 1, 0, 1);
        assertArray(new CastKernel(node("Cast", 1, "to", i(1)), 13).run(new INDArray[] {Nd4j.scalar(3L)})[0], DataType.FLOAT, shape(), 3);
        assertArray(new CastKernel(node("Cast", 1, "to", i(11)), 13).run(new INDArray[] {Nd4j.create(DataType.FLOAT, 0, 2)})[0],
                DataType.DOUBLE, shape(0, 2));
        assertThrows(KernelException.class, () -> new CastKernel(node("Cast", 1, "to", i(8)), 13));
    }

    @Test
    void rangeCountsCeilAndKeepsType() {
        RangeKernel k = new RangeKernel(node("Range", 1), 11);
        assertArray(k.run(new INDArray[] {Nd4j.scalar(1f), Nd4j.scalar(2f), Nd4j.scalar(0.3f)})[0], DataType.FLOAT, shape(4),
                1, 1.3, 1.6, 1.9);
        assertArray(k.run(new INDArray[] {Nd4j.scalar(10), Nd4j.scalar(4), Nd4j.scalar(-3)})[0], DataType.INT, shape(2), 10, 7);
        assertArray(k.run(new INDArray[] {Nd4j.scalar(10L), Nd4j.scalar(4L), Nd4j.scalar(3L)})[0], DataType.LONG, shape(0));
    }
}
