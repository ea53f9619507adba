package org.cimq.runtime.kernels;

import org.cimq.ir.Node;
import org.cimq.runtime.Kernel;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ONNX Pow (opset 7+) with multidirectional broadcasting. From opset 12 the exponent may have
 * another numeric type than the base; the result has the base's type. Integer bases are
 * computed as {@code (long) Math.pow(double, double)}, as ONNX Runtime's std::pow does.
 */
final class PowKernel implements Kernel {
    private final Node node;

    PowKernel(Node node, int opset) {
        this.node = node;
    }

    @Override
    public INDArray[] run(INDArray[] inputs) {
        INDArray base = inputs[0];
        INDArray exp = inputs[1];
        DataType t = base.dataType();
        if (t == DataType.BOOL || exp.dataType() == DataType.BOOL) {
            throw new KernelException(node.describe() + ": BOOL inputs are not supported (numeric types only)");
        }
        long[] shape = Broadcast.shape(node, base, exp);
        if (Broadcast.numel(shape) == 0) {
            return new INDArray[] {Nd4j.create(t, shape)};
        }
        if (t.isFPType()) {
            INDArray e = exp.dataType() == t ? exp : exp.castTo(t);
            INDArray z = Nd4j.createUninitialized(t, shape);
            Nd4j.exec(DynamicCustomOp.builder("Pow").addInputs(base, e).addOutputs(z).build());
            return new INDArray[] {z};
        }
        double[] x = Ints.doubles(Broadcast.to(base, shape));
        double[] y = Ints.doubles(Broadcast.to(exp, shape));
        long[] out = new long[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (long) Math.pow(x[i], y[i]);
        }
        return new INDArray[] {Ints.of(out, shape, t)};
    }
}
