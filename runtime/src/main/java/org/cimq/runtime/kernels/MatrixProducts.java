package org.cimq.runtime.kernels;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products on ND4J's BLAS for any numeric type: integer operands are multiplied in
 * double, 16-bit floats in float, and the result is cast back. Zero-sized operands work
 * (an empty inner dimension gives zeros).
 */
final class MatrixProducts {
    private MatrixProducts() {
    }

    /** a [M,K] times b [K,N], a new C-order array. */
    static INDArray mmul(INDArray a, INDArray b) {
        long m = a.size(0);
        long k = a.size(1);
        long n = b.size(1);
        if (b.size(0) != k) {
            throw new IllegalArgumentException("cannot multiply " + Arrays.toString(a.shape()) + " by " + Arrays.toString(b.shape()));
        }
        DataType t = a.dataType();
        if (m == 0 || n == 0 || k == 0) {
            return Nd4j.zeros(t, m, n);
        }
        DataType work = workType(t);
        INDArray y = work == t ? a.mmul(b) : a.castTo(work).mmul(b.castTo(work)).castTo(t);
        return y.ordering() == 'c' ? y : y.dup('c');
    }

    /** a [P,M,K] times b [P,K,N] as P independent products. */
    static INDArray batched(INDArray a, INDArray b) {
        long p = a.size(0);
        long m = a.size(1);
        long k = a.size(2);
        long n = b.size(2);
        DataType t = a.dataType();
        if (p == 0 || m == 0 || n == 0 || k == 0) {
            return Nd4j.zeros(t, p, m, n);
        }
        DataType work = workType(t);
        INDArray y = work == t ? Nd4j.matmul(a, b) : Nd4j.matmul(a.castTo(work), b.castTo(work)).castTo(t);
        return y.ordering() == 'c' ? y : y.dup('c');
    }

    private static DataType workType(DataType t) {
        return switch (t) {
            case FLOAT, DOUBLE -> t;
            case HALF, BFLOAT16 -> DataType.FLOAT;
            default -> DataType.DOUBLE;
        };
    }
}
