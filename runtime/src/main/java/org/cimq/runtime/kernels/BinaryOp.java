package org.cimq.runtime.kernels;

import java.util.function.LongBinaryOperator;
import org.cimq.ir.Node;
import org.cimq.runtime.KernelException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The broadcasting arithmetic shared by Add, Sub, Mul, Div, Min, Max and Sum: floating types
 * run ND4J's numpy-broadcasting custom ops; integer types are computed in Java with C
 * semantics (division truncates toward zero, overflow wraps).
 */
enum BinaryOp {
    ADD("add", Long::sum, Long::sum),
    SUB("subtract", (a, b) -> a - b, (a, b) -> a - b),
    MUL("multiply", (a, b) -> a * b, (a, b) -> a * b),
    DIV("divide", (a, b) -> a / b, Long::divideUnsigned),
    MIN("minimum", Math::min, (a, b) -> Long.compareUnsigned(a, b) <= 0 ? a : b),
    MAX("maximum", Math::max, (a, b) -> Long.compareUnsigned(a, b) >= 0 ? a : b);

    private final String nd4jOp;
    private final LongBinaryOperator signed;
    private final LongBinaryOperator unsigned64;

    BinaryOp(String nd4jOp, LongBinaryOperator signed, LongBinaryOperator unsigned64) {
        this.nd4jOp = nd4jOp;
        this.signed = signed;
        this.unsigned64 = unsigned64;
    }

    /**
     * {@code a op b} written over {@code a} when it is a float array of the result's shape,
     * dense in C order; otherwise as {@link #apply}.
     */
    INDArray applyInPlace(Node node, INDArray a, INDArray b) {
        if (a.dataType().isFPType() && b.dataType() == a.dataType() && a.ordering() == 'c' && !a.isView()
                && java.util.Arrays.equals(Broadcast.shape(node, a, b), a.shape())) {
            Nd4j.exec(DynamicCustomOp.builder(nd4jOp).addInputs(a, b).addOutputs(a).build());
            return a;
        }
        return apply(node, a, b);
    }

    /** The variadic form (Sum, Min, Max): inputs folded left to right; at least one, none absent. */
    INDArray fold(Node node, INDArray[] inputs) {
        if (inputs.length == 0 || inputs[0] == null) {
            throw new KernelException(node.describe() + ": needs at least one input");
        }
        INDArray acc = inputs[0];
        for (int i = 1; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new KernelException(node.describe() + ": input " + i + " is absent");
            }
            acc = apply(node, acc, inputs[i]);
        }
        return acc;
    }

    /** {@code a op b} with broadcasting; both inputs must have the same numeric type, which the result keeps. */
    INDArray apply(Node node, INDArray a, INDArray b) {
        DataType t = a.dataType();
        if (b.dataType() != t) {
            throw new KernelException(node.describe() + ": inputs must have the same type, got " + t + " and " + b.dataType());
        }
        if (t == DataType.BOOL || t == DataType.UTF8) {
            throw new KernelException(node.describe() + ": " + t + " inputs are not supported (numeric types only)");
        }
        long[] shape = Broadcast.shape(node, a, b);
        if (Broadcast.numel(shape) == 0) {
            return Nd4j.create(t, shape);
        }
        if (t.isFPType()) {
            INDArray z = Nd4j.createUninitialized(t, shape);
            Nd4j.exec(DynamicCustomOp.builder(nd4jOp).addInputs(a, b).addOutputs(z).build());
            return z;
        }
        long[] x = Ints.values(Broadcast.to(a, shape));
        long[] y = Ints.values(Broadcast.to(b, shape));
        LongBinaryOperator f = t == DataType.UINT64 ? unsigned64 : signed;
        for (int i = 0; i < x.length; i++) {
            if (this == DIV && y[i] == 0) {
                throw new KernelException(node.describe() + ": integer division by zero");
            }
            x[i] = f.applyAsLong(x[i], y[i]);
        }
        return Ints.of(x, shape, t);
    }
}
