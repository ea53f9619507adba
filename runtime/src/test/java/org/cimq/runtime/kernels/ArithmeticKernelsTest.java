package org.cimq.runtime.kernels;

import static org.cimq.runtime.kernels.ElementwiseTestArrays.assertFloats;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.assertLongs;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.floats;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.ints;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.longs;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.node;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cimq.runtime.KernelException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ArithmeticKernelsTest {
    private static INDArray run(String op, int opset, INDArray... in) {
        return switch (op) {
            case "Add" -> new AddKernel(node(op), opset).run(in)[0];
            case "Sub" -> new SubKernel(node(op), opset).run(in)[0];
            case "Mul" -> new MulKernel(node(op), opset).run(in)[0];
            case "Div" -> new DivKernel(node(op), opset).run(in)[0];
            case "Pow" -> new PowKernel(node(op), opset).run(in)[0];
            case "Min" -> new MinKernel(node(op), opset).run(in)[0];
            case "Max" -> new MaxKernel(node(op), opset).run(in)[0];
            case "Sum" -> new SumKernel(node(op), opset).run(in)[0];
            default -> throw new IllegalArgumentException(op);
        };
    }

    @Test
    void addBroadcastsTrailingVector() {
        INDArray a = Nd4j.arange(24).castTo(DataType.FLOAT).reshape(2, 3, 4);
        assertFloats(run("Add", 14, a, floats(shape(4), 10, 20, 30, 40)), shape(2, 3, 4),
                10, 21, 32, 43, 14, 25, 36, 47, 18, 29, 40, 51, 22, 33, 44, 55, 26, 37, 48, 59, 30, 41, 52, 63);
    }

    @Test
    void addBroadcastsBothWays() {
        INDArray a = floats(shape(2, 1, 4), 1, 2, 3, 4, 5, 6, 7, 8);
        INDArray b = floats(shape(3, 1), 10, 20, 30);
        assertFloats(run("Add", 7, a, b), shape(2, 3, 4),
                11, 12, 13, 14, 21, 22, 23, 24, 31, 32, 33, 34, 15, 16, 17, 18, 25, 26, 27, 28, 35, 36, 37, 38);
    }

    @Test
    void rankZeroBroadcastsOnEitherSide() {
        INDArray s = floats(shape(), 5);
        INDArray m = floats(shape(2, 3), 1, 2, 3, 4, 5, 6);
        assertFloats(run("Sub", 14, s, m), shape(2, 3), 4, 3, 2, 1, 0, -1);
        assertFloats(run("Sub", 14, m, s), shape(2, 3), -4, -3, -2, -1, 0, 1);
        assertFloats(run("Mul", 14, s, s), shape(), 25);
    }

    @Test
    void emptyDimensionsGiveEmptyResults() {
        assertFloats(run("Add", 14, Nd4j.create(DataType.FLOAT, 0, 3), floats(shape(1, 3), 1, 2, 3)), shape(0, 3));
        assertLongs(run("Mul", 14, Nd4j.create(DataType.LONG, 2, 0), longs(shape(2, 1), 1, 2)), DataType.LONG, shape(2, 0));
    }

    @Test
    void floatDivision() {
        assertFloats(run("Div", 14, floats(shape(2), 1, -3), floats(shape(2), 2, 4)), shape(2), 0.5f, -0.75f);
    }

    @Test
    void integerDivisionTruncatesTowardZero() {
        assertLongs(run("Div", 14, longs(shape(4), 7, -7, 7, -7), longs(shape(4), 2, 2, -2, -2)), DataType.LONG, shape(4), 3, -3, -3, 3);
        assertLongs(run("Div", 14, ints(shape(2, 2), 9, -9, 1, 4), ints(shape(), 4)), DataType.INT, shape(2, 2), 2, -2, 0, 1);
        KernelException e = assertThrows(KernelException.class, () -> run("Div", 14, longs(shape(1), 1), longs(shape(1), 0)));
        assertTrue(e.getMessage().contains("division by zero"), e.getMessage());
    }

    @Test
    void integerArithmeticKeepsTheType() {
        assertLongs(run("Add", 14, longs(shape(2, 1), 1, 2), longs(shape(3), 10, 20, 30)), DataType.LONG, shape(2, 3),
                11, 21, 31, 12, 22, 32);
        assertLongs(run("Mul", 14, ints(shape(2, 2), 1, 2, 3, 4), ints(shape(), 3)), DataType.INT, shape(2, 2), 3, 6, 9, 12);
        assertLongs(run("Sub", 14, ints(shape(2), 3, 9).castTo(DataType.UBYTE), ints(shape(2), 5, 1).castTo(DataType.UBYTE)),
                DataType.UBYTE, shape(2), 254, 8);
    }

    @Test
    void mismatchedOrBooleanTypesAreRejected() {
        assertThrows(KernelException.class, () -> run("Add", 14, floats(shape(1), 1), longs(shape(1), 1)));
        assertThrows(KernelException.class, () -> run("Add", 14,
                Nd4j.createFromArray(true), Nd4j.createFromArray(false)));
    }

    @Test
    void powFloatBaseWithFloatAndIntegerExponents() {
        assertFloats(run("Pow", 15, floats(shape(2, 3), 1, 2, 3, 4, 5, 6), floats(shape(3), 2, 0, 0.5f)), shape(2, 3),
                1, 1, 1.7320508f, 16, 1, 2.4494898f);
        assertFloats(run("Pow", 15, floats(shape(3), 2, 3, -2), longs(shape(3), 3, 2, 3)), shape(3), 8, 9, -8);
        assertFloats(run("Pow", 7, floats(shape(3), 1, 2, 3), floats(shape(), 2)), shape(3), 1, 4, 9);
    }

    @Test
    void powIntegerBaseKeepsItsType() {
        assertLongs(run("Pow", 15, longs(shape(3), 2, 3, -2), longs(shape(3), 10, 2, 3)), DataType.LONG, shape(3), 1024, 9, -8);
        assertLongs(run("Pow", 15, ints(shape(3), 4, 9, 2), floats(shape(3), 0.5f, 0.5f, -1)), DataType.INT, shape(3), 2, 3, 0);
    }

    @Test
    void variadicMinMaxSum() {
        INDArray a = floats(shape(3), 1, 5, 3);
        INDArray b = floats(shape(3), 4, 2, 6);
        INDArray c = floats(shape(3), 2, 2, 9);
        assertFloats(run("Max", 13, a, b, c), shape(3), 4, 5, 9);
        assertFloats(run("Min", 13, a, b, c), shape(3), 1, 2, 3);
        assertFloats(run("Sum", 13, a, b, c), shape(3), 7, 9, 18);
        assertFloats(run("Sum", 13, a), shape(3), 1, 5, 3);
        assertFloats(run("Max", 8, floats(shape(2, 2), 1, 5, 3, 0), floats(shape(2), 2, 2)), shape(2, 2), 2, 5, 3, 2);
    }

    @Test
    void minMaxOnIntegersAndHalf() {
        assertLongs(run("Min", 13, longs(shape(2), -1, 5), longs(shape(2), 3, -7)), DataType.LONG, shape(2), -1, -7);
        assertLongs(run("Max", 13, ints(shape(2), -1, 5), ints(shape(2), 3, -7)), DataType.INT, shape(2), 3, 5);
        INDArray h = run("Max", 13, floats(shape(2), 1, 5).castTo(DataType.HALF), floats(shape(2), 4, 2).castTo(DataType.HALF));
        assertEquals(DataType.HALF, h.dataType());
        assertFloats(h.castTo(DataType.FLOAT), shape(2), 4, 5);
    }
}
