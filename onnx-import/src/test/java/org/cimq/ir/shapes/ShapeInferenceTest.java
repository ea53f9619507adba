package org.cimq.ir.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.IrException;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.onnx.OnnxImporter;
import org.junit.jupiter.api.Test;

class ShapeInferenceTest {
    private static final Dim B = Dim.symbolic("batch");

    private static TensorType f(Dim... dims) {
        return new TensorType(DType.FLOAT, List.of(dims));
    }

    private static Dim d(long v) {
        return Dim.of(v);
    }

    private static Value weights(GraphBuilder b, String name, long... shape) {
        return b.constant(name, Tensor.ofFloats(shape, new float[(int) Tensor.numel(shape)]));
    }

    private static Value longs(GraphBuilder b, String name, long... v) {
        return b.constant(name, Tensor.ofLongs(new long[] {v.length}, v));
    }

    private static Attr ints(long... v) {
        return Attr.IntsAttr.of(v);
    }

    private static Attr i(long v) {
        return new Attr.IntAttr(v);
    }

    @Test
    void symbolicBatchFlowsThroughAClassifier() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", f(B, d(3), d(32), d(32)));
        Value conv = b.op("Conv", Map.of("pads", ints(1, 1, 1, 1)), x, weights(b, "w", 8, 3, 3, 3), weights(b, "c", 8));
        Value relu = b.op("Relu", conv);
        Value pool = b.op("MaxPool", Map.of("kernel_shape", ints(2, 2), "strides", ints(2, 2)), relu);
        Value flat = b.op("Flatten", pool);
        Value logits = b.op("Gemm", Map.of("transB", i(1)), flat, weights(b, "fc", 10, 2048), weights(b, "fb", 10));
        b.output(logits);
        ShapeInference.run(b.build());
        assertEquals(f(B, d(8), d(32), d(32)), conv.type());
        assertEquals(conv.type(), relu.type());
        assertEquals(f(B, d(8), d(16), d(16)), pool.type());
        assertEquals(f(B, d(2048)), flat.type());
        assertEquals(f(B, d(10)), logits.type());
    }

    @Test
    void broadcastKeepsEqualSymbolsAndNeverGuesses() {
        GraphBuilder b = new GraphBuilder(13);
        Value a = b.input("a", f(B, d(1), d(4)));
        Value c = b.input("c", f(d(3), d(1)));
        Value n = b.input("n", f(Dim.symbolic("n"), d(3), d(4)));
        Value u = b.input("u", f(Dim.UNKNOWN, d(1), d(1)));
        Value ac = b.op("Add", a, c);
        Value aa = b.op("Mul", a, a);
        Value an = b.op("Sub", a, n);
        Value au = b.op("Where", b.op("Equal", u, d5(b)), a, u);
        ShapeInference.run(b.build());
        assertEquals(f(B, d(3), d(4)), ac.type());
        assertEquals(f(B, d(1), d(4)), aa.type());
        assertEquals(f(Dim.UNKNOWN, d(3), d(4)), an.type());
        assertEquals(f(d(5), d(1), d(4)), au.type());
        assertEquals(DType.BOOL, au.producer().input(0).type().dtype());
    }

    private static Value d5(GraphBuilder b) {
        return weights(b, "five", 5, 1, 1);
    }

    @Test
    void shapeArithmeticOfASymbolicBatchFeedsReshape() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", f(B, d(8), d(4), d(4)));
        Value batch = b.op("Unsqueeze", b.op("Gather", b.op("Shape", x), b.constant("zero", Tensor.scalar(0L))),
                longs(b, "axes", 0));
        Value target = b.op("Concat", Map.of("axis", i(0)), batch, longs(b, "rest", -1));
        Value r = b.op("Reshape", x, target);
        Value r2 = b.op("Reshape", x, longs(b, "s2", 0, 2, -1, 4));
        Value e = b.op("Expand", b.input("one", f(d(1), d(1))), b.op("Shape", r));
        ShapeInference.run(b.build());
        assertEquals(f(B, d(128)), r.type());
        assertEquals(f(B, d(2), d(16), d(4)), r2.type());
        assertEquals(f(B, d(128)), e.type());
    }

    @Test
    void convVariants() {
        GraphBuilder b = new GraphBuilder(13);
        Value x1 = b.input("x1", f(d(1), d(4), d(10)));
        Value x2 = b.input("x2", f(B, d(4), d(7), Dim.symbolic("w")));
        Value x3 = b.input("x3", f(d(2), d(4), d(8), d(8), d(8)));
        Value c1 = b.op("Conv", Map.of("strides", ints(3), "dilations", ints(2)), x1, weights(b, "w1", 6, 4, 3));
        Value same = b.op("Conv", Map.of("auto_pad", Attr.StringAttr.of("SAME_UPPER"), "strides", ints(2, 1)),
                x2, weights(b, "w2", 6, 4, 3, 3));
        Value grouped = b.op("Conv", Map.of("group", i(2), "pads", ints(0, 1, 2, 0, 1, 2)), x3,
                weights(b, "w3", 8, 2, 3, 3, 3));
        Value valid = b.op("Conv", Map.of("auto_pad", Attr.StringAttr.of("VALID")), x2, weights(b, "w4", 5, 4, 2, 1));
        ShapeInference.run(b.build());
        assertEquals(f(d(1), d(6), d(2)), c1.type());
        assertEquals(f(B, d(6), d(4), Dim.symbolic("w")), same.type());
        assertEquals(f(d(2), d(8), d(6), d(8), d(10)), grouped.type());
        assertEquals(f(B, d(5), d(6), Dim.symbolic("w")), valid.type());
    }

    @Test
    void poolingCeilModeDropsAWindowStartingInThePadding() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", f(d(1), d(2), d(5), d(6)));
        Node max = b.node("MaxPool", Map.of("kernel_shape", ints(2, 2), "strides", ints(2, 2), "pads", ints(1, 1, 1, 1),
                "ceil_mode", i(1)), 2, x);
        Value avg = b.op("AveragePool", Map.of("kernel_shape", ints(3, 3), "strides", ints(2, 2), "ceil_mode", i(1)), x);
        Value global = b.op("GlobalAveragePool", x);
        ShapeInference.run(b.build());
        assertEquals(f(d(1), d(2), d(3), d(4)), max.output(0).type());
        assertEquals(new TensorType(DType.INT64, max.output(0).type().dims()), max.output(1).type());
        assertEquals(f(d(1), d(2), d(2), d(3)), avg.type());
        assertEquals(f(d(1), d(2), d(1), d(1)), global.type());
    }

    @Test
    void attributeAndInputFormsFollowTheOpset() {
        for (long opset : new long[] {11, 13, 18}) {
            GraphBuilder b = new GraphBuilder(opset);
            Value x = b.input("x", f(B, d(1), d(6)));
            boolean inputs13 = opset >= 13;
            Value sq = inputs13 ? b.op("Squeeze", x, longs(b, "ax", 1)) : b.op("Squeeze", Map.of("axes", ints(1)), x);
            Node split = opset < 13 ? b.node("Split", Map.of("axis", i(2), "split", ints(2, 4)), 2, x)
                    : opset < 18 ? b.node("Split", Map.of("axis", i(2)), 2, x, longs(b, "sp", 2, 4))
                    : b.node("Split", Map.of("axis", i(2), "num_outputs", i(2)), 2, x);
            Value mean = opset < 18 ? b.op("ReduceMean", Map.of("axes", ints(-1), "keepdims", i(0)), x)
                    : b.op("ReduceMean", Map.of("keepdims", i(0)), x, longs(b, "rx", -1));
            Value sum = inputs13 ? b.op("ReduceSum", x, longs(b, "sx", 2)) : b.op("ReduceSum", Map.of("axes", ints(2)), x);
            ShapeInference.run(b.build());
            assertEquals(f(B, d(6)), sq.type(), "opset " + opset);
            assertEquals(f(B, d(1), d(opset < 18 ? 2 : 3)), split.output(0).type(), "opset " + opset);
            assertEquals(f(B, d(1), d(opset < 18 ? 4 : 3)), split.output(1).type(), "opset " + opset);
            assertEquals(f(B, d(1)), mean.type(), "opset " + opset);
            assertEquals(f(B, d(1), d(1)), sum.type(), "opset " + opset);
        }
    }

    @Test
    void sliceAndPadBeforeAndAfterTheyTookInputs() {
        GraphBuilder old = new GraphBuilder(9);
        Value x = old.input("x", f(B, d(10), d(8)));
        Value s = old.op("Slice", Map.of("starts", ints(1, -3), "ends", ints(Long.MAX_VALUE, 100), "axes", ints(1, 2)), x);
        Value p = old.op("Pad", Map.of("pads", ints(0, 1, 2, 0, 3, 4)), x);
        ShapeInference.run(old.build());
        assertEquals(f(B, d(9), d(3)), s.type());
        assertEquals(f(B, d(14), d(14)), p.type());

        GraphBuilder b = new GraphBuilder(13);
        Value y = b.input("y", f(B, d(10), d(8)));
        Value s2 = b.op("Slice", y, longs(b, "st", 0, 7), longs(b, "en", Long.MAX_VALUE, 0), longs(b, "ax", 0, 2),
                longs(b, "sp", 1, -2));
        Value p2 = b.op("Pad", y, longs(b, "pd", 0, 1, 2, 0, 3, 4));
        Value p3 = b.op("Pad", y, b.input("dynamic", new TensorType(DType.INT64, List.of(d(6)))));
        ShapeInference.run(b.build());
        assertEquals(f(B, d(10), d(4)), s2.type());
        assertEquals(f(B, d(14), d(14)), p2.type());
        assertEquals(f(Dim.UNKNOWN, Dim.UNKNOWN, Dim.UNKNOWN), p3.type());
    }

    @Test
    void typesFromAttributesAndConstants() {
        GraphBuilder b = new GraphBuilder(15);
        Value x = b.input("x", f(B, d(4), d(5)));
        Node drop = b.node("Dropout", Map.of(), 2, x);
        Value q8 = b.op("QuantizeLinear", x, b.constant("scale", Tensor.scalar(0.1f)));
        Value qi = b.op("QuantizeLinear", x, b.constant("s2", Tensor.scalar(0.1f)),
                b.constant("zp", Tensor.ofRaw(DType.INT8, new long[0], new byte[1])));
        Value dq = b.op("DequantizeLinear", q8, b.constant("s3", Tensor.scalar(0.1f)));
        Value shape = b.op("Shape", Map.of("start", i(1)), x);
        Value cast = b.op("Cast", Map.of("to", i(DType.INT32.onnxCode())), x);
        Value cos = b.op("ConstantOfShape", longs(b, "cs", 2, 3));
        Value k = b.op("Constant", Map.of("value_ints", ints(1, 2, 3)));
        Value range = b.op("Range", b.constant("r0", Tensor.scalar(1L)), b.constant("r1", Tensor.scalar(10L)),
                b.constant("r2", Tensor.scalar(3L)));
        Value mm = b.op("MatMul", b.input("m", f(d(7), B, d(2), d(4))), weights(b, "mw", 4));
        ShapeInference.run(b.build());
        assertEquals(x.type(), drop.output(0).type());
        assertEquals(new TensorType(DType.BOOL, x.type().dims()), drop.output(1).type());
        assertEquals(DType.UINT8, q8.type().dtype());
        assertEquals(DType.INT8, qi.type().dtype());
        assertEquals(x.type(), dq.type());
        assertEquals(TensorType.of(DType.INT64, 2), shape.type());
        assertEquals(new TensorType(DType.INT32, x.type().dims()), cast.type());
        assertEquals(TensorType.of(DType.FLOAT, 2, 3), cos.type());
        assertEquals(TensorType.of(DType.INT64, 3), k.type());
        assertEquals(TensorType.of(DType.INT64, 3), range.type());
        assertEquals(f(d(7), B, d(2)), mm.type());
    }

    @Test
    void recordedTypesMergeAndConflictsNameTheNode() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", f(Dim.UNKNOWN, d(4)));
        Value r = b.op("Relu", x);
        r.setType(f(B, Dim.UNKNOWN));
        Value g = b.op("Gemm", Map.of("transB", i(1)), r, weights(b, "w", 3, 4));
        g.setType(f(Dim.UNKNOWN, d(7)));
        b.output(g, "out", null);
        Model m = b.build();
        IrException e = assertThrows(IrException.class, () -> ShapeInference.run(m));
        assertTrue(e.getMessage().contains(g.producer().describe()), e.getMessage());
        assertTrue(e.getMessage().contains("'out'") && e.getMessage().contains("[?,7]")
                && e.getMessage().contains("[batch,3]"), e.getMessage());
        assertEquals(f(B, d(4)), r.type());
    }

    @Test
    void opsWithoutRulesKeepTheirTypes() {
        GraphBuilder b = new GraphBuilder(13).importDomain("com.example", 1);
        Value x = b.input("x", f(B, d(4)));
        Value custom = b.node("com.example", "Relu", Map.of(), 1, x).output(0);
        Value unknownOp = b.op("NonZero", x);
        Value after = b.op("Relu", custom);
        ShapeInference.run(b.build());
        assertNull(custom.type());
        assertNull(unknownOp.type());
        assertNull(after.type());
    }

    @Test
    void resnet20GetsStaticFeatureMapsAndBatchedLogits() {
        Path file = Path.of(System.getProperty("cimq.shared", "../../shared"), "models/resnet20_cifar10.onnx");
        Model m = OnnxImporter.load(file);
        Dim batch = m.graph().inputs().get(0).type().dims().get(0);
        for (Node n : m.graph().nodes()) {
            for (Value v : n.outputs()) {
                v.setType(null);
            }
        }
        ShapeInference.run(m);
        assertEquals(f(batch, d(10)), m.graph().outputs().get(0).type());
        long convs = 0;
        for (Node n : m.graph().nodes()) {
            if (n.opType().equals("Conv")) {
                List<Dim> dims = n.output(0).type().dims();
                assertEquals(batch, dims.get(0), n.describe());
                assertTrue(dims.subList(1, 4).stream().allMatch(Dim::isKnown), n.describe() + " gives " + dims);
                convs++;
            }
            if (n.opType().equals("Pad")) {
                assertTrue(n.output(0).type().dims().subList(1, 4).stream().allMatch(Dim::isKnown),
                        n.describe() + " gives " + n.output(0).type());
            }
        }
        assertEquals(19, convs);
    }
}
