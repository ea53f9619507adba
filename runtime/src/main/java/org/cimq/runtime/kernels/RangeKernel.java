package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX Range (opset 11): the 1-D sequence start, start+delta, ... of max(ceil((limit-start)/delta), 0)
 * elements, in the inputs' element type.
 */
final class RangeKernel implements Kernel {
    private final Node node;

    RangeKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray start = inputs[0];
        if (start.dataType().isFPType()) {
            double s = start.getDouble(0);
            double d = inputs[2].getDouble(0);
            long n = (long) Math.max(Math.ceil((inputs[1].getDouble(0) - s) / d), 0);
            double[] v = new double[Math.toIntExact(n)];
            for (int i = 0; i < v.length; i++) {
                v[i] = s + i * d;
            }
            return new INDArray[] {n == 0 ? Nd4j.create(start.dataType(), 0) : Nd4j.createFromArray(v).castTo(start.dataType())};
        }
        long s = start.getLong(0);
        long d = inputs[2].getLong(0);
        if (d == 0) {
            throw new KernelException(node.describe() + ": delta must not be 0");
        }
        long span = inputs[1].getLong(0) - s;
        long n = Math.max(0, span / d + (span % d != 0 && (span < 0) == (d < 0) ? 1 : 0));
        long[] v = new long[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) {
            v[i] = s + i * d;
        }
        return new INDArray[] {IndexArrays.vector(v).castTo(start.dataType())};
    }
}
