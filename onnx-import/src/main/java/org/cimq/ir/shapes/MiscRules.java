package org.cimq.ir.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.IrException;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;

/**
 * Ops whose output types come from attributes or constant inputs: Constant,
 * ConstantOfShape, Range, Cast, quantization, Dropout, BatchNormalization.
 */
final class MiscRules {
    private MiscRules() {
    }

    static void register(Map<String, ShapeRule> m) {
        m.put("Constant", MiscRules::constant);
        m.put("ConstantOfShape", MiscRules::constantOfShape);
        m.put("Range", MiscRules::range);
        m.put("Cast", (n, c) -> ReshapeRules.one(DType.fromOnnx((int) n.attrInt("to", 1)), c.dims(0)));
        m.put("CastLike", (n, c) -> ReshapeRules.one(c.dtype(1), c.dims(0)));
        m.put("QuantizeLinear", MiscRules::quantize);
        m.put("DequantizeLinear", (n, c) -> ReshapeRules.one(c.opset() >= 19 ? c.dtype(1) : DType.FLOAT, c.dims(0)));
        m.put("Dropout", MiscRules::dropout);
        m.put("BatchNormalization", MiscRules::batchNorm);
    }

    /** The tensor a Constant node holds, from whichever value attribute it has. */
    static Tensor constantValue(Node n) {
        if (n.hasAttr("value")) {
            return n.attrTensor("value");
        }
        if (n.hasAttr("value_float")) {
            return Tensor.scalar(n.attrFloat("value_float", 0));
        }
        if (n.hasAttr("value_floats")) {
            float[] f = n.attrFloats("value_floats", new float[0]);
            return Tensor.ofFloats(new long[] {f.length}, f);
        }
        if (n.hasAttr("value_int")) {
            return Tensor.scalar(n.attrInt("value_int", 0));
        }
        if (n.hasAttr("value_ints")) {
            long[] v = n.attrInts("value_ints", new long[0]);
            return Tensor.ofLongs(new long[] {v.length}, v);
        }
        return null;
    }

    private static TensorType[] constant(Node n, InferenceContext c) {
        Tensor t = constantValue(n);
        if (t != null) {
            return new TensorType[] {t.type()};
        }
        if (n.hasAttr("value_string")) {
            return ReshapeRules.one(DType.STRING, List.of());
        }
        if (n.attr("value_strings") instanceof Attr.StringsAttr s) {
            return ReshapeRules.one(DType.STRING, List.of(Dim.of(s.values().size())));
        }
        return null;
    }

    private static TensorType[] constantOfShape(Node n, InferenceContext c) {
        Tensor value = n.attrTensor("value");
        DType dt = value == null ? DType.FLOAT : value.dtype();
        List<Dim> shape = c.dimValues(0);
        if (shape == null) {
            List<Dim> s = c.dims(0);
            shape = s != null && s.size() == 1 && s.get(0).isKnown() ? Dims.unknown((int) s.get(0).value()) : null;
        }
        return ReshapeRules.one(dt, shape);
    }

    private static TensorType[] range(Node n, InferenceContext c) {
        Double start = c.scalar(0);
        Double limit = c.scalar(1);
        Double delta = c.scalar(2);
        Dim len = Dim.UNKNOWN;
        if (start != null && limit != null && delta != null) {
            if (delta == 0) {
                throw new IrException(n.describe() + ": delta is 0");
            }
            len = Dim.of((long) Math.max(0, Math.ceil((limit - start) / delta)));
        }
        return ReshapeRules.one(c.dtype(0), List.of(len));
    }

    private static TensorType[] quantize(Node n, InferenceContext c) {
        long attr = c.opset() >= 21 ? n.attrInt("output_dtype", 0) : 0;
        DType dt = c.hasInput(2) ? c.dtype(2) : attr != 0 ? DType.fromOnnx((int) attr) : DType.UINT8;
        return ReshapeRules.one(dt, c.dims(0));
    }

    private static TensorType[] dropout(Node n, InferenceContext c) {
        DType mask = c.opset() >= 10 ? DType.BOOL : c.dtype(0);
        return new TensorType[] {new TensorType(c.dtype(0), c.dims(0)), new TensorType(mask, c.dims(0))};
    }

    private static TensorType[] batchNorm(Node n, InferenceContext c) {
        List<Dim> x = c.dims(0);
        List<Dim> channels = x != null && x.size() >= 2 ? List.of(x.get(1)) : c.dims(1);
        TensorType[] out = new TensorType[Math.max(1, n.outputs().size())];
        out[0] = new TensorType(c.dtype(0), x);
        for (int i = 1; i < out.length; i++) {
            DType stat = c.dtype(i <= 2 ? 2 + i : 1);
            out[i] = new TensorType(stat != null ? stat : c.dtype(0), channels == null ? null : new ArrayList<>(channels));
        }
        return out;
    }
}
