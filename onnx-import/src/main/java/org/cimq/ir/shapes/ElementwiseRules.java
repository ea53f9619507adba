package org.cimq.ir.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.Node;
import org.cimq.ir.TensorType;

/** Same-shape unary ops and numpy-broadcasting binary and variadic ops. */
final class ElementwiseRules {
    private static final List<String> UNARY = List.of("Relu", "LeakyRelu", "Clip", "Sigmoid", "Tanh", "HardSigmoid",
            "HardSwish", "Softmax", "LogSoftmax", "Neg", "Sqrt", "Exp", "Identity", "Abs", "Ceil", "Floor", "Round",
            "Reciprocal", "Log", "Erf", "Elu", "Selu", "Celu", "Softplus", "Softsign", "Sin", "Cos", "Tan", "Sinh",
            "Cosh", "Asin", "Acos", "Atan", "Asinh", "Acosh", "Atanh", "Sign", "Hardmax", "ThresholdedRelu", "Shrink",
            "Mish", "Gelu", "LRN", "InstanceNormalization", "MeanVarianceNormalization", "LpNormalization", "Not",
            "BitwiseNot", "CumSum", "Trilu");
    private static final List<String> ARITHMETIC = List.of("Add", "Sub", "Mul", "Div", "Pow", "Mod", "PRelu",
            "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor");
    private static final List<String> COMPARISON = List.of("Equal", "Less", "Greater", "LessOrEqual",
            "GreaterOrEqual", "And", "Or", "Xor");
    private static final List<String> VARIADIC = List.of("Min", "Max", "Sum", "Mean");

    private ElementwiseRules() {
    }

    static void register(Map<String, ShapeRule> m) {
        UNARY.forEach(op -> m.put(op, ElementwiseRules::unary));
        ARITHMETIC.forEach(op -> m.put(op, (n, c) -> broadcast(n, c, c.dtype(0))));
        COMPARISON.forEach(op -> m.put(op, (n, c) -> broadcast(n, c, DType.BOOL)));
        VARIADIC.forEach(op -> m.put(op, (n, c) -> broadcast(n, c, firstDType(c))));
        m.put("IsNaN", ElementwiseRules::predicate);
        m.put("IsInf", ElementwiseRules::predicate);
        m.put("Where", (n, c) -> broadcast(n, c, c.dtype(1)));
    }

    static TensorType[] unary(Node n, InferenceContext c) {
        TensorType t = c.type(0);
        return new TensorType[] {t == null ? null : new TensorType(t.dtype(), t.dims())};
    }

    private static TensorType[] predicate(Node n, InferenceContext c) {
        return new TensorType[] {new TensorType(DType.BOOL, c.dims(0))};
    }

    private static TensorType[] broadcast(Node n, InferenceContext c, DType dtype) {
        List<List<Dim>> shapes = new ArrayList<>();
        for (int i = 0; i < c.inputCount(); i++) {
            if (c.hasInput(i)) {
                shapes.add(c.dims(i));
            }
        }
        return new TensorType[] {new TensorType(dtype, shapes.isEmpty() ? null : Dims.broadcast(n, shapes))};
    }

    private static DType firstDType(InferenceContext c) {
        for (int i = 0; i < c.inputCount(); i++) {
            if (c.dtype(i) != null) {
                return c.dtype(i);
            }
        }
        return null;
    }
}
