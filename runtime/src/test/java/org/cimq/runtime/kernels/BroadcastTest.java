package org.cimq.runtime.kernels;

import static org.cimq.runtime.kernels.ElementwiseTestArrays.assertFloats;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.floats;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.node;
import static org.cimq.runtime.kernels.ElementwiseTestArrays.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cimq.runtime.KernelException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class BroadcastTest {
    @Test
    void shapesAlignFromTheRight() {
        assertArrayEquals(shape(2, 3, 4), Broadcast.shape(node("Add"), shape(2, 3, 4), shape(4)));
        assertArrayEquals(shape(2, 3, 4), Broadcast.shape(node("Add"), shape(2, 1, 4), shape(3, 1)));
        assertArrayEquals(shape(2, 3), Broadcast.shape(node("Add"), shape(), shape(2, 3)));
        assertArrayEquals(shape(), Broadcast.shape(node("Add"), shape(), shape()));
        assertArrayEquals(shape(5, 2, 3), Broadcast.shape(node("Where"), shape(1, 1, 3), shape(2, 1), shape(5, 1, 1)));
    }

    @Test
    void emptyDimensionsBroadcastAgainstOne() {
        assertArrayEquals(shape(0, 3), Broadcast.shape(node("Add"), shape(0, 3), shape(1, 3)));
        assertArrayEquals(shape(2, 0), Broadcast.shape(node("Add"), shape(2, 1), shape(0)));
        assertThrows(KernelException.class, () -> Broadcast.shape(node("Add"), shape(0), shape(2)));
    }

    @Test
    void incompatibleShapesAreNamedInTheError() {
        KernelException e = assertThrows(KernelException.class, () -> Broadcast.shape(node("Mul"), shape(2, 3), shape(4)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]") && e.getMessage().contains("Mul node 't'"),
                e.getMessage());
    }

    @Test
    void expandsArraysToTheTargetShape() {
        INDArray col = floats(shape(3, 1), 1, 2, 3);
        assertFloats(Broadcast.to(col, shape(2, 3, 2)), shape(2, 3, 2), 1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3);
        assertFloats(Broadcast.to(floats(shape(), 7), shape(2)), shape(2), 7, 7);
        assertFloats(Broadcast.to(col, shape(0, 3, 1)), shape(0, 3, 1));
        assertSame(col, Broadcast.to(col, shape(3, 1)));
    }
}
