package org.cimq.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.cimq.cim.export.OrtLowering;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.onnx.OnnxImporter;
import org.cimq.onnx.OnnxWriter;
import org.cimq.runtime.cim.CimOps;
import org.cimq.runtime.cim.InputMode;
import org.cimq.runtime.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Each lowered org.cimq op, run by ONNX Runtime and by cimq's Executor, against its cimq kernel on random inputs: equal exactly. */
class OrtLoweringOpsTest {
    @TempDir
    Path dir;

    private final Random rnd = new Random(3);
    private int files;

    @Test
    void quantizeInput() throws Exception {
        long[] shape = {2, 3, 5, 5};
        float[] x = gaussian(shape, 2f);
        for (InputMode mode : InputMode.values()) {
            for (int bits : new int[] {3, 4}) {
                Map<String, Attr> a = attrs("scale", new Attr.FloatAttr(0.173f), "bits", new Attr.IntAttr(bits),
                        "input_mode", Attr.StringAttr.of(mode.id()));
                assertSame(single(CimOps.QUANTIZE_INPUT, a, shape, null), x, shape);
            }
        }
    }

    @Test
    void bitPlanes() throws Exception {
        long[] shape = {2, 3, 4, 4};
        int[][] bitsAndDac = {{4, 1}, {4, 2}, {5, 3}, {2, 1}, {6, 4}};
        for (InputMode mode : InputMode.values()) {
            for (int[] bd : bitsAndDac) {
                float[] codes = integers(shape, mode.min(bd[0]), mode.max(bd[0]));
                Map<String, Attr> a = attrs("bits", new Attr.IntAttr(bd[0]), "dac_bits", new Attr.IntAttr(bd[1]),
                        "input_mode", Attr.StringAttr.of(mode.id()));
                float[] out = assertSame(single(CimOps.BIT_PLANES, a, shape, null), codes, shape);
                assertEquals(mode.planes(bd[0], bd[1]) * codes.length, out.length);
            }
        }
    }

    @Test
    void convArrayCroppedStridedPadded() throws Exception {
        long[] shape = {3, 2, 5, 6, 6};
        Map<String, Attr> a = attrs("kind", Attr.StringAttr.of("conv"), "channel_start", new Attr.IntAttr(1),
                "channel_end", new Attr.IntAttr(4), "pads", Attr.IntsAttr.of(1, 1, 1, 1), "strides", Attr.IntsAttr.of(2, 2));
        Tensor w = Tensor.ofFloats(new long[] {2, 4, 3, 3, 3}, integers(new long[] {2, 4, 3, 3, 3}, -3, 3));
        assertSame(single(CimOps.ARRAY, a, shape, w), integers(shape, 0, 3), shape);
    }

    @Test
    void groupedConvArray() throws Exception {
        long[] shape = {2, 2, 4, 5, 5};
        Map<String, Attr> a = attrs("kind", Attr.StringAttr.of("conv"), "channel_start", new Attr.IntAttr(0),
                "channel_end", new Attr.IntAttr(4), "group", new Attr.IntAttr(2), "pads", Attr.IntsAttr.of(1, 1, 1, 1));
        Tensor w = Tensor.ofFloats(new long[] {3, 4, 2, 3, 3}, integers(new long[] {3, 4, 2, 3, 3}, -1, 1));
        assertSame(single(CimOps.ARRAY, a, shape, w), integers(shape, 0, 1), shape);
    }

    @Test
    void matmulArrayReadsItsRows() throws Exception {
        long[] shape = {4, 3, 10};
        Map<String, Attr> a = attrs("kind", Attr.StringAttr.of("matmul"), "row_start", new Attr.IntAttr(3),
                "row_end", new Attr.IntAttr(7));
        Tensor w = Tensor.ofFloats(new long[] {2, 4, 3}, integers(new long[] {2, 4, 3}, -3, 3));
        assertSame(single(CimOps.ARRAY, a, shape, w), integers(shape, 0, 1), shape);
    }

    @Test
    void adcQuantizers() throws Exception {
        long[] shape = {3, 2, 2, 4, 3, 3};
        float[] v = integers(shape, -40, 40);
        Object[][] cases = {{5, 4f, "zero-tread"}, {4, 2.5f, "zero-tread"}, {4, 3f, "mid-rise"}, {9, 0.0625f, "zero-tread"},
            {2, 7f, "mid-rise"}};
        for (Object[] c : cases) {
            Map<String, Attr> a = attrs("levels", new Attr.IntAttr((int) c[0]), "delta", new Attr.FloatAttr((float) c[1]),
                    "quantizer", Attr.StringAttr.of((String) c[2]));
            assertSame(single(CimOps.ADC, a, shape, null), v, shape);
        }
        float[] steps = {0.5f, 1.25f, 3f, 2f, 0.75f, 6f, 1f, 4.5f};
        Map<String, Attr> a = attrs("levels", new Attr.IntAttr(7), "quantizer", Attr.StringAttr.of("zero-tread"),
                "deltas", new Attr.TensorAttr(Tensor.ofFloats(new long[] {1, 2, 1, 4, 1, 1}, steps)));
        assertSame(single(CimOps.ADC, a, shape, null), v, shape);
    }

    @Test
    void shiftAddOfTwoArrays() throws Exception {
        long[] shape = {4, 3, 2, 4, 3, 3};
        GraphBuilder b = builder(shape);
        Value x = b.model().graph().inputs().get(0);
        Node n = b.node(CimOps.DOMAIN, CimOps.SHIFT_ADD, attrs("plane_weights", floats(1, 2, 4, -8),
                "slice_weights", floats(1, 2, 4), "reference_column", new Attr.IntAttr(0)), 1, x, b.op("Neg", x));
        b.output(n.output(0), "y", new TensorType(DType.FLOAT, null));
        assertSame(b.build(), integers(shape, -60, 60), shape);
    }

    @Test
    void groupedConvWithReferenceColumnsThroughAdcAndShiftAdd() throws Exception {
        long[] shape = {2, 2, 4, 5, 5};
        GraphBuilder b = builder(shape);
        Value planes = b.model().graph().inputs().get(0);
        Tensor w = Tensor.ofFloats(new long[] {2, 6, 2, 3, 3}, integers(new long[] {2, 6, 2, 3, 3}, 0, 1));
        Value ps = b.node(CimOps.DOMAIN, CimOps.ARRAY, attrs("kind", Attr.StringAttr.of("conv"), "group", new Attr.IntAttr(2),
                "channel_start", new Attr.IntAttr(0), "channel_end", new Attr.IntAttr(4)), 1, planes, b.constant("w", w)).output(0);
        Value q = b.node(CimOps.DOMAIN, CimOps.ADC, attrs("levels", new Attr.IntAttr(9), "delta", new Attr.FloatAttr(2f)), 1, ps)
                .output(0);
        Value y = b.node(CimOps.DOMAIN, CimOps.SHIFT_ADD, attrs("plane_weights", floats(1, 2), "slice_weights", floats(1, 2),
                "reference_column", new Attr.IntAttr(1), "groups", new Attr.IntAttr(2), "channel_axis", new Attr.IntAttr(1)),
                1, q).output(0);
        b.output(y, "y", new TensorType(DType.FLOAT, null));
        float[] out = assertSame(b.build(), integers(shape, 0, 1), shape);
        assertEquals(2 * 4 * 3 * 3, out.length);
    }

    @Test
    void matmulWithReferenceColumn() throws Exception {
        long[] shape = {2, 3, 8};
        GraphBuilder b = builder(shape);
        Value planes = b.model().graph().inputs().get(0);
        Tensor w = Tensor.ofFloats(new long[] {2, 8, 4}, integers(new long[] {2, 8, 4}, 0, 3));
        Value ps = b.node(CimOps.DOMAIN, CimOps.ARRAY, attrs("kind", Attr.StringAttr.of("matmul"), "row_start",
                new Attr.IntAttr(0), "row_end", new Attr.IntAttr(8)), 1, planes, b.constant("w", w)).output(0);
        Value y = b.node(CimOps.DOMAIN, CimOps.SHIFT_ADD, attrs("plane_weights", floats(1, 2), "slice_weights", floats(1, 4),
                "reference_column", new Attr.IntAttr(1), "groups", new Attr.IntAttr(1), "channel_axis", new Attr.IntAttr(1)),
                1, ps).output(0);
        b.output(y, "y", new TensorType(DType.FLOAT, null));
        float[] out = assertSame(b.build(), integers(shape, 0, 1), shape);
        assertEquals(3 * 3, out.length);
    }

    /** Runs {@code m} in cimq, its lowered copy in ONNX Runtime (after onnx.checker) and in cimq; asserts equal outputs. */
    private float[] assertSame(Model m, float[] x, long[] shape) throws Exception {
        INDArray out = new Executor(m).run(Nd4j.create(x.clone(), shape, 'c'))[0];
        float[] expected = out.dup('c').data().asFloat();
        Model lowered = OrtLowering.apply(OnnxImporter.load(OnnxWriter.toBytes(m), "copy"));
        lowered.graph().outputs().get(0).setType(TensorType.of(DType.FLOAT, out.shape()));
        assertFalse(lowered.opsetImports().containsKey(CimOps.DOMAIN));
        assertTrue(lowered.graph().nodes().stream().allMatch(n -> n.domain().isEmpty()));
        Path file = dir.resolve("op" + files++ + ".onnx");
        OnnxWriter.write(lowered, file);
        OnnxChecker.check(file);
        float[] actual = OrtRunner.ort(file, x, shape);
        assertArrayEquals(expected, actual, 0f);
        assertArrayEquals(expected, OrtRunner.cimq(lowered, x, shape), 0f);
        return actual;
    }

    private static GraphBuilder builder(long[] shape) {
        GraphBuilder b = new GraphBuilder(13).importDomain(CimOps.DOMAIN, CimOps.VERSION);
        b.input("x", TensorType.of(DType.FLOAT, shape));
        return b;
    }

    private static Model single(String op, Map<String, Attr> a, long[] shape, Tensor w) {
        GraphBuilder b = builder(shape);
        Value x = b.model().graph().inputs().get(0);
        Node n = w == null ? b.node(CimOps.DOMAIN, op, a, 1, x) : b.node(CimOps.DOMAIN, op, a, 1, x, b.constant("w", w));
        b.output(n.output(0), "y", new TensorType(DType.FLOAT, null));
        return b.build();
    }

    private static Map<String, Attr> attrs(Object... kv) {
        Map<String, Attr> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Attr) kv[i + 1]);
        }
        return m;
    }

    private static Attr floats(float... v) {
        java.util.List<Float> l = new java.util.ArrayList<>();
        for (float f : v) {
            l.add(f);
        }
        return new Attr.FloatsAttr(l);
    }

    private float[] gaussian(long[] shape, float sigma) {
        float[] v = new float[(int) Tensor.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian() * sigma;
        }
        return v;
    }

    private float[] integers(long[] shape, long lo, long hi) {
        float[] v = new float[(int) Tensor.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + rnd.nextInt((int) (hi - lo + 1));
        }
        return v;
    }
}
