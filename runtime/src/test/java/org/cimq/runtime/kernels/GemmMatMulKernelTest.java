package org.cimq.runtime.kernels;

import static org.cimq.runtime.kernels.NnTestSupport.assertValues;
import static org.cimq.runtime.kernels.NnTestSupport.ints;
import static org.cimq.runtime.kernels.NnTestSupport.node;
import static org.cimq.runtime.kernels.NnTestSupport.pattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cimq.ir.Node;
import org.cimq.runtime.KernelException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GemmMatMulKernelTest {
    private static final INDArray A = pattern(5, -2, 3, 4);
    private static final INDArray BT = pattern(3, -1, 5, 4);
    private static final INDArray C = pattern(7, -3, 3, 5);

    private static INDArray gemm(Node n, INDArray... in) {
        return new GemmKernel(n, 13).run(in)[0];
    }

    private static INDArray matmul(INDArray a, INDArray b) {
        return new MatMulKernel(node("MatMul"), 13).run(new INDArray[] {a, b})[0];
    }

    @Test
    void gemmAllAttributes() {
        Node n = node("Gemm", "alpha", 0.25f, "beta", 0.5f, "transA", 1, "transB", 1);
        INDArray y = gemm(n, pattern(5, -2, 4, 3), BT, C);
        assertValues(y, ints(3, 5), -1.75f, -0.5f, -0.75f, -0.25f, 1f, 1.75f, 2f, -2.75f, -0.25f, 0f, 0.5f, -0.25f, 1.25f, 2f, -2.25f);
        assertEquals('c', y.ordering());
    }

    @Test
    void gemmBiasBroadcasts() {
        Node n = node("Gemm", "transB", 1);
        assertValues(gemm(n, A, BT, Nd4j.create(new float[] {1, 2, 3, 4, 5})), ints(3, 5),
                2, 1, 3, 5, 4, -2, 1, 7, 1, 4, -1, 6, 1, 2, 9);
        assertValues(gemm(n, A, BT, Nd4j.create(new float[] {1, 2, 3, 4, 5}, 1, 5)), ints(3, 5),
                2, 1, 3, 5, 4, -2, 1, 7, 1, 4, -1, 6, 1, 2, 9);
        assertValues(gemm(n, A, BT, Nd4j.create(new float[] {1, 2, 3}, 3, 1)), ints(3, 5),
                2, 0, 1, 2, 0, -1, 1, 6, -1, 1, 1, 7, 1, 1, 7);
        assertValues(gemm(node("Gemm", "transB", 1, "beta", 2f), A, BT, Nd4j.scalar(3f)), ints(3, 5),
                7, 5, 6, 7, 5, 3, 5, 10, 3, 5, 4, 10, 4, 4, 10);
        assertValues(gemm(n, A, BT), ints(3, 5), 1, -1, 0, 1, -1, -3, -1, 4, -3, -1, -2, 4, -2, -2, 4);
        assertThrows(KernelException.class, () -> gemm(n, A, BT, Nd4j.ones(2, 5)));
    }

    @Test
    void gemmOnIntegers() {
        INDArray y = gemm(node("Gemm", "transB", 1), A.castTo(DataType.LONG), BT.castTo(DataType.LONG), C.castTo(DataType.LONG));
        assertEquals(DataType.LONG, y.dataType());
        assertValues(y, ints(3, 5), -2, -3, -1, 1, 0, -1, 2, 1, -5, -2, -2, 5, 0, 1, 1);
    }

    @Test
    void matMulBatchedWithBroadcast() {
        assertValues(matmul(pattern(5, -2, 2, 1, 2, 3), pattern(4, -1, 3, 3, 2)), ints(2, 3, 2, 2),
                1, -2, 3, 4, -1, -4, -3, -2, 1, -2, 3, 4, 0, 0, -3, -4, 0, 0, 3, 2, 0, 0, -3, -4);
        assertValues(matmul(pattern(5, -2, 2, 2, 3), pattern(4, -1, 3, 2)), ints(2, 2, 2), 1, -2, 3, 4, 0, 0, -3, -4);
        assertValues(matmul(pattern(5, -2, 2, 3), pattern(4, -1, 2, 3, 2)), ints(2, 2, 2), 1, -2, 3, 4, -1, -4, -3, -2);
    }

    @Test
    void matMulVectors() {
        INDArray v = pattern(4, 1, 3);
        assertValues(matmul(v, pattern(4, -1, 2, 3, 2)), ints(2, 2), -2, 4, 2, 8);
        assertValues(matmul(pattern(5, -2, 2, 2, 3), v), ints(2, 2), -4, -1, 2, -5);
        assertValues(matmul(v, pattern(4, 0, 3)), ints(), 8);
    }

    @Test
    void matMulEmptyAndMismatch() {
        assertValues(matmul(Nd4j.create(DataType.FLOAT, 2, 0), Nd4j.create(DataType.FLOAT, 0, 3)), ints(2, 3), 0, 0, 0, 0, 0, 0);
        assertValues(matmul(Nd4j.create(DataType.FLOAT, 0, 2), Nd4j.ones(2, 3)), ints(0, 3));
        assertThrows(KernelException.class, () -> matmul(Nd4j.ones(2, 3), Nd4j.ones(2, 3)));
        assertThrows(KernelException.class, () -> matmul(Nd4j.ones(2, 2, 3), Nd4j.ones(3, 3, 2)));
    }
}
