package org.cimq.runtime.kernels;

import static org.cimq.runtime.kernels.NnTestSupport.ints;
import static org.cimq.runtime.kernels.NnTestSupport.node;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Model;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.runtime.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * cimq's native float convolution against the convolution written from its definition
 * ({@link NaiveConv}), in each of its three ways (cimq_conv.c): "direct" (stride 1, output rows
 * as wide as the input's), "phases" (strided, output rows as wide as the input's phase planes) and
 * "columns" (anything else), with output channels not a multiple of the 8-channel block and
 * positions not a multiple of the 32-position block; its fused epilogue (addend, Relu) also when
 * the output is the input or the addend array itself; batch splits that must not change a bit;
 * and the kernels that route to it ({@link ConvKernel}, a fused {@link ConvReluKernel}) against
 * ND4J's convolution.
 */
class NativeConvTest {
    private static final long[] ONE = {1, 1};

    @AfterEach
    void nativeBackOn() {
        FloatConvNative.setEnabled(true);
    }

    private static boolean cpuHasAvx512f() throws IOException {
        Path info = Path.of("/proc/cpuinfo");
        return Files.isReadable(info) && Files.readString(info).contains(" avx512f");
    }

    @Test
    void availableExactlyWhereTheCpuHasAvx512f() throws IOException {
        if (cpuHasAvx512f() && System.getProperty("os.arch", "").equals("amd64")) {
            assertTrue(FloatConvNative.available(), FloatConvNative.status());
            assertEquals("native avx512", FloatConvNative.status());
        } else {
            assertFalse(FloatConvNative.available(), FloatConvNative.status());
            assertTrue(FloatConvNative.status().startsWith("nd4j ("), FloatConvNative.status());
        }
        FloatConvNative.setEnabled(false);
        assertFalse(FloatConvNative.active());
        assertTrue(FloatConvNative.status().startsWith("nd4j ("), FloatConvNative.status());
    }

    /** The native result of one geometry, checked against the naive loop; returns it. */
    private static INDArray check(long seed, long[] xShape, long[] wShape, boolean bias, long[] s, long[] p, long[] d,
                                  int group, int threads) {
        NaiveConv.Operands o = NaiveConv.operands(seed, xShape, wShape, bias);
        INDArray x = o.x();
        INDArray w = o.w();
        INDArray b = o.b();
        INDArray xBefore = x.dup();
        assertTrue(NativeConv.applies(x, w, b, s, p, d, group), "applies");
        INDArray y = NativeConv.run(x, w, b, s, p, d, group, null, false, null, threads);
        long[] out = {xShape[0], wShape[0], NativeConv.outSize(xShape[2], wShape[2], s[0], p[0], d[0]),
            NativeConv.outSize(xShape[3], wShape[3], s[1], p[1], d[1])};
        assertArrayEquals(out, y.shape(), "shape");
        assertArrayEquals(NaiveConv.conv(x, w, b, s, p, d, group, out), y.data().asFloat(), 1e-4f, "vs the naive loop");
        assertEquals(xBefore, x, "input unchanged");
        return y;
    }

    @Test
    void directWayWithOddChannelsAndPositions() {
        // stride 1, OW == W: 11 output channels (8 + 3), 9 x 7 = 63 positions (32 + 31)
        check(1, ints(3, 5, 9, 7), ints(11, 5, 3, 3), true, ONE, ints(1, 1), ONE, 1, 2);
    }

    @Test
    void directWayOneByOneAndDilated() {
        check(2, ints(2, 8, 6, 6), ints(16, 8, 1, 1), false, ONE, ints(0, 0), ONE, 1, 2);
        // dilation 2 with pad 2 keeps OW == W: still direct
        check(3, ints(2, 3, 10, 12), ints(4, 3, 3, 3), true, ONE, ints(2, 2), ints(2, 2), 1, 2);
    }

    @Test
    void phaseWayForStridedLayers() {
        // stride 2, pad 1 on 16 x 16: OW = 8 = ceil(16 / 2), ResNet-20's down-sampling layers
        check(4, ints(3, 6, 16, 16), ints(10, 6, 3, 3), true, ints(2, 2), ints(1, 1), ONE, 1, 2);
        // stride 3, dilation 2, pad 2 on 12 x 12: OW = 4 = ceil(12 / 3); unequal strides
        check(5, ints(2, 4, 12, 12), ints(9, 4, 3, 3), true, ints(3, 3), ints(2, 2), ints(2, 2), 1, 2);
        check(6, ints(2, 3, 8, 9), ints(5, 3, 3, 3), false, ints(2, 3), ints(1, 1), ONE, 1, 2);
    }

    @Test
    void phaseWaySplitsRowsOfAnyWidthInStrideTwo() {
        // the vector split of stride-2 rows: 16 phase columns per step, the last step partial; odd widths leave
        // the odd plane one column short (zero there), odd heights the second row phase one row short
        check(12, ints(2, 3, 9, 9), ints(5, 3, 3, 3), true, ints(2, 2), ints(1, 1), ONE, 1, 2);
        check(13, ints(2, 2, 7, 33), ints(4, 2, 3, 3), false, ints(2, 2), ints(1, 1), ONE, 1, 2);
        check(14, ints(1, 2, 6, 70), ints(3, 2, 3, 3), true, ints(2, 2), ints(1, 1), ONE, 1, 1);
        check(15, ints(1, 2, 5, 31), ints(3, 2, 3, 3), true, ints(3, 2), ints(1, 1), ONE, 1, 1);
    }

    @Test
    void columnWayForEverythingElse() {
        // no padding with a 5 x 5 kernel (OW = 5 != 9), stride 2 on an odd size (OW = 4 != 5)
        check(7, ints(2, 3, 9, 9), ints(7, 3, 5, 5), true, ONE, ints(0, 0), ONE, 1, 2);
        check(8, ints(3, 5, 9, 9), ints(7, 5, 3, 3), true, ints(2, 2), ints(0, 0), ONE, 1, 2);
        check(9, ints(2, 3, 9, 9), ints(20, 3, 3, 3), false, ONE, ints(1, 1), ints(2, 2), 1, 2);
    }

    @Test
    void groupsAndDepthwise() {
        check(10, ints(3, 6, 7, 7), ints(9, 2, 3, 3), true, ONE, ints(1, 1), ONE, 3, 2);
        check(11, ints(2, 8, 10, 10), ints(8, 1, 3, 3), true, ints(3, 3), ints(1, 1), ONE, 8, 2);
    }

    @Test
    void batchSplitsGiveTheSameBits() {
        long[] xs = ints(7, 16, 12, 12);
        long[] ws = ints(16, 16, 3, 3);
        INDArray one = check(12, xs, ws, true, ONE, ints(1, 1), ONE, 1, 1);
        INDArray two = check(12, xs, ws, true, ONE, ints(1, 1), ONE, 1, 2);
        INDArray many = check(12, xs, ws, true, ONE, ints(1, 1), ONE, 1, 9);
        assertArrayEquals(one.data().asFloat(), two.data().asFloat(), 0f);
        assertArrayEquals(one.data().asFloat(), many.data().asFloat(), 0f);
    }

    @Test
    void epilogueAddsAndRectifiesAlsoInPlace() {
        NaiveConv.Operands o = NaiveConv.operands(13, ints(5, 6, 8, 8), ints(6, 6, 3, 3), true);
        INDArray x = o.x();
        INDArray w = o.w();
        INDArray b = o.b();
        INDArray a = NaiveConv.random(new Random(113), 5, 6, 8, 8);
        long[] p = ints(1, 1);
        INDArray conv = Nd4j.create(NaiveConv.conv(x, w, b, ONE, p, ONE, 1, x.shape()), x.shape(), 'c');
        float[] expected = Transforms.relu(conv.add(a), true).data().asFloat();

        INDArray fresh = NativeConv.run(x, w, b, ONE, p, ONE, 1, a, true, null, 2);
        assertArrayEquals(expected, fresh.data().asFloat(), 1e-4f, "into a new array");
        INDArray overAddend = a.dup();
        assertTrue(overAddend == NativeConv.run(x, w, b, ONE, p, ONE, 1, overAddend, true, overAddend, 2));
        assertArrayEquals(fresh.data().asFloat(), overAddend.data().asFloat(), 0f, "over the addend");
        INDArray overInput = x.dup();
        NativeConv.run(overInput, w, b, ONE, p, ONE, 1, a, true, overInput, 2);
        assertArrayEquals(fresh.data().asFloat(), overInput.data().asFloat(), 0f, "over the input");
        INDArray reluOnly = NativeConv.run(x, w, b, ONE, p, ONE, 1, null, true, null, 2);
        assertArrayEquals(Transforms.relu(conv, true).data().asFloat(), reluOnly.data().asFloat(), 1e-4f);
    }

    @Test
    void reluLetsNanThroughAsNd4jsReluDoes() {
        Random r = new Random(15);
        INDArray x = NaiveConv.random(r, 2, 3, 6, 6);
        x.putScalar(new long[] {1, 2, 3, 3}, Float.NaN);
        INDArray w = NaiveConv.random(r, 4, 3, 3, 3);
        INDArray a = NaiveConv.random(r, 2, 4, 6, 6);
        long[] p = ints(1, 1);
        INDArray fused = NativeConv.run(x, w, null, ONE, p, ONE, 1, a, true, null, 2);
        INDArray sum = NativeConv.run(x, w, null, ONE, p, ONE, 1, null, false, null, 2).add(a);
        INDArray unfused = new ReluKernel(node("Relu"), 14).run(new INDArray[] {sum})[0];
        float[] f = fused.data().asFloat();
        assertTrue(Float.isNaN(f[(int) (fused.length() / 2 + 3 * 6 + 3)]), "NaN passes the Relu");
        assertArrayEquals(unfused.data().asFloat(), f, 0f, "bit for bit, NaN included");
    }

    @Test
    void declinesWhatItDoesNotTake() {
        INDArray x = Nd4j.ones(DataType.FLOAT, 2, 4, 5, 5);
        INDArray w = Nd4j.ones(DataType.FLOAT, 4, 4, 3, 3);
        long[] p = ints(1, 1);
        assertFalse(NativeConv.applies(x.castTo(DataType.DOUBLE), w.castTo(DataType.DOUBLE), null, ONE, p, ONE, 1), "double");
        assertFalse(NativeConv.applies(x, w, Nd4j.ones(DataType.FLOAT, 3), ONE, p, ONE, 1), "bias length");
        assertFalse(NativeConv.applies(x, w, null, ONE, p, ONE, 3), "groups do not divide");
        assertFalse(NativeConv.applies(Nd4j.ones(DataType.FLOAT, 2, 4, 1, 1), w, null, ONE, ints(0, 0), ONE, 1),
                "empty output");
        FloatConvNative.setEnabled(false);
        assertFalse(NativeConv.applies(x, w, null, ONE, p, ONE, 1), "turned off");
    }

    @Test
    void convKernelAndFusedConvAddReluAgreeWithNd4j() {
        NaiveConv.Operands o = NaiveConv.operands(14, ints(6, 4, 9, 9), ints(8, 4, 3, 3), true);
        INDArray x = o.x();
        INDArray w = o.w();
        INDArray b = o.b();
        INDArray a = NaiveConv.random(new Random(114), 6, 8, 5, 5);
        ConvKernel conv = new ConvKernel(node("Conv", "pads", ints(1, 1, 1, 1), "strides", ints(2, 2)), 11);
        Executor fused = fusedConvAddRelu(w, b);
        java.util.Map<String, INDArray> in = java.util.Map.of("x", x, "a", a);
        long before = FloatConvNative.nativeImages();
        INDArray y = conv.run(new INDArray[] {x, w, b})[0];
        INDArray z = fused.run(in, null).get("z");
        assertEquals(FloatConvNative.available() ? 12 : 0, FloatConvNative.nativeImages() - before, "images on the native code");
        FloatConvNative.setEnabled(false);
        INDArray yNd4j = conv.run(new INDArray[] {x, w, b})[0];
        INDArray zNd4j = fused.run(in, null).get("z");
        assertEquals(FloatConvNative.available() ? 12 : 0, FloatConvNative.nativeImages() - before, "none once off");
        assertArrayEquals(yNd4j.data().asFloat(), y.data().asFloat(), 1e-4f);
        assertArrayEquals(zNd4j.data().asFloat(), z.data().asFloat(), 1e-4f);
        assertArrayEquals(Transforms.relu(yNd4j.add(a), true).data().asFloat(), z.data().asFloat(), 1e-4f);
        assertNull(conv.convolveNative(x, w, b, null, false, null), "off: nothing native");
    }

    /** z = Relu(Conv(x; w, b, stride 2, pad 1) + a), fused into one ConvRelu node. */
    private static Executor fusedConvAddRelu(INDArray w, INDArray b) {
        GraphBuilder g = new GraphBuilder(13);
        Value x = g.input("x", TensorType.of(DType.FLOAT, 6, 4, 9, 9));
        Value a = g.input("a", TensorType.of(DType.FLOAT, 6, 8, 5, 5));
        Value wv = g.constant("w", Tensor.ofFloats(w.shape(), w.data().asFloat()));
        Value bv = g.constant("b", Tensor.ofFloats(b.shape(), b.data().asFloat()));
        java.util.Map<String, Attr> attrs = java.util.Map.of("pads", Attr.IntsAttr.of(1, 1, 1, 1),
                "strides", Attr.IntsAttr.of(2, 2), "kernel_shape", Attr.IntsAttr.of(3, 3));
        g.output(g.op("Relu", g.op("Add", g.op("Conv", attrs, x, wv, bv), a)), "z", null);
        Model m = g.build();
        new ConvReluFusion().run(m);
        assertTrue(m.graph().nodes().stream().anyMatch(n -> n.opType().equals(ConvReluKernel.OP)), "fused");
        return new Executor(m);
    }
}
