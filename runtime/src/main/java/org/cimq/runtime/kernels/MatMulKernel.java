package org.cimq.runtime.kernels;

import java.util.Arrays;
import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX MatMul (opsets 1, 9, 13; same semantics): numpy.matmul. A 1-D first operand is a row,
 * a 1-D second operand a column (that axis is dropped from the result); leading batch axes
 * broadcast. A batched first operand times a matrix runs as one flattened product.
 */
public final class MatMulKernel implements Kernel {
    private final Node node;

    public MatMulKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray a = inputs[0];
        INDArray b = inputs[1];
        if (a.rank() == 0 || b.rank() == 0) {
            throw new KernelException(node.describe() + ": MatMul operands must have rank >= 1");
        }
        INDArray a2 = a.rank() == 1 ? a.reshape(1, a.length()) : a;
        INDArray b2 = b.rank() == 1 ? b.reshape(b.length(), 1) : b;
        long[] as = a2.shape();
        long[] bs = b2.shape();
        long m = as[as.length - 2];
        long k = as[as.length - 1];
        long n = bs[bs.length - 1];
        long[] batch = batchShape(as, bs);
        if (batch == null || bs[bs.length - 2] != k) {
            throw new KernelException(node.describe() + ": cannot multiply " + Arrays.toString(a.shape())
                    + " by " + Arrays.toString(b.shape()));
        }
        INDArray y;
        if (bs.length == 2) {
            y = MatrixProducts.mmul(a2.reshape('c', product(batch) * m, k), b2);
        } else {
            long p = product(batch);
            y = MatrixProducts.batched(expand(a2, batch).reshape('c', p, m, k), expand(b2, batch).reshape('c', p, k, n));
        }
        long[] out = Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = m;
        out[batch.length + 1] = n;
        if (b.rank() == 1) {
            out = drop(out, out.length - 1);
        }
        if (a.rank() == 1) {
            out = drop(out, out.length - (b.rank() == 1 ? 1 : 2));
        }
        return new INDArray[] {y.reshape('c', out)};
    }

    private static long[] batchShape(long[] as, long[] bs) {
        int r = Math.max(as.length, bs.length) - 2;
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            int ia = i - (r - (as.length - 2));
            int ib = i - (r - (bs.length - 2));
            long da = ia < 0 ? 1 : as[ia];
            long db = ib < 0 ? 1 : bs[ib];
            if (da != db && da != 1 && db != 1) {
                return null;
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    private static INDArray expand(INDArray x, long[] batch) {
        long[] full = Arrays.copyOf(batch, batch.length + 2);
        full[batch.length] = x.size(x.rank() - 2);
        full[batch.length + 1] = x.size(x.rank() - 1);
        long[] padded = new long[full.length];
        Arrays.fill(padded, 1);
        System.arraycopy(x.shape(), 0, padded, full.length - x.rank(), x.rank());
        INDArray r = x.reshape('c', padded);
        return Arrays.equals(padded, full) ? r : r.broadcast(full);
    }

    private static long product(long[] dims) {
        long p = 1;
        for (long d : dims) {
            p *= d;
        }
        return p;
    }

    private static long[] drop(long[] dims, int axis) {
        long[] out = new long[dims.length - 1];
        System.arraycopy(dims, 0, out, 0, axis);
        System.arraycopy(dims, axis + 1, out, axis, out.length - axis);
        return out;
    }
}
