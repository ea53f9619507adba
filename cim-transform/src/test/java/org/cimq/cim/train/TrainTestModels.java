package org.cimq.cim.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Model;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.runtime.ModelLoader;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A small CNN for training tests, built in code with a fixed seed, and random images. */
final class TrainTestModels {
    private TrainTestModels() {
    }

    /** A [batch, k] input of normal values with standard deviation 2 (negative ones included). */
    static INDArray gaussianRows(long seed, int batch, int k) {
        Random r = new Random(seed);
        float[] v = new float[batch * k];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * 2);
        }
        return Nd4j.create(v, new long[] {batch, k}, 'c');
    }

    /**
     * x[batch, k] → (Relu when {@code relu}) → Gemm(transB, k→n), weights "wg" (std 0.5) and bias "bg" (std 0.1): one
     * mapped layer when no layer is kept digital.
     */
    static Model gemm(long seed, int k, int n, boolean relu) {
        Random r = new Random(seed);
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", new TensorType(DType.FLOAT, List.of(Dim.symbolic("batch"), Dim.of(k))));
        Value g = b.op("Gemm", Map.of("transB", new Attr.IntAttr(1)), relu ? b.op("Relu", x) : x,
                b.constant("wg", random(r, 0.5, n, k)), b.constant("bg", random(r, 0.1, n)));
        b.output(g, "y", null);
        return ModelLoader.prepare(b.build());
    }

    /**
     * x[batch,2,6,6] → Relu → Conv(2→4, 3×3, pad 1) → Relu → Conv(4→6, 3×3, pad 1) → Relu →
     * MaxPool 2×2 → Flatten → Gemm(transB, 54→3). Every layer reads unsigned activations.
     */
    static Model cnn(long seed) {
        Random r = new Random(seed);
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", new TensorType(DType.FLOAT, List.of(Dim.symbolic("batch"), Dim.of(2), Dim.of(6), Dim.of(6))));
        Value c2 = twoConvLayers(b, r, x);
        Value p = b.op("MaxPool", Map.of("kernel_shape", Attr.IntsAttr.of(2, 2), "strides", Attr.IntsAttr.of(2, 2)),
                b.op("Relu", c2));
        Value g = b.op("Gemm", Map.of("transB", new Attr.IntAttr(1)), b.op("Flatten", p),
                b.constant("wg", random(r, 0.3, 3, 54)), b.constant("bg", random(r, 0.1, 3)));
        b.output(g, "y", null);
        return ModelLoader.prepare(b.build());
    }

    /**
     * A ResNet option-A block: x[batch,2,6,6] → Relu → r; Conv(r, 2→4, 3×3, stride 2, pad 1) plus the
     * shortcut r[:, :, ::2, ::2] (two Slices with step 2) zero-padded from 2 to 4 channels (Pad) →
     * Add → Relu → Flatten → Gemm(transB, 36→3).
     */
    static Model shortcut(long seed) {
        Random r = new Random(seed);
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", new TensorType(DType.FLOAT, List.of(Dim.symbolic("batch"), Dim.of(2), Dim.of(6), Dim.of(6))));
        Value relu = b.op("Relu", x);
        Value conv = b.op("Conv", Map.of("pads", Attr.IntsAttr.of(1, 1, 1, 1), "strides", Attr.IntsAttr.of(2, 2)), relu,
                b.constant("w1", random(r, 0.4, 4, 2, 3, 3)), b.constant("b1", random(r, 0.1, 4)));
        Value rows = b.op("Slice", relu, b.constant("s0", Tensor.ofLongs(new long[] {1}, 0)),
                b.constant("e0", Tensor.ofLongs(new long[] {1}, Long.MAX_VALUE)), b.constant("a0", Tensor.ofLongs(new long[] {1}, 2)),
                b.constant("p0", Tensor.ofLongs(new long[] {1}, 2)));
        Value cols = b.op("Slice", rows, b.constant("s1", Tensor.ofLongs(new long[] {1}, 0)),
                b.constant("e1", Tensor.ofLongs(new long[] {1}, Long.MAX_VALUE)), b.constant("a1", Tensor.ofLongs(new long[] {1}, 3)),
                b.constant("p1", Tensor.ofLongs(new long[] {1}, 2)));
        Value padded = b.op("Pad", Map.of("mode", Attr.StringAttr.of("constant")), cols,
                b.constant("pads", Tensor.ofLongs(new long[] {8}, 0, 1, 0, 0, 0, 1, 0, 0)));
        Value sum = b.op("Relu", b.op("Add", conv, padded));
        Value g = b.op("Gemm", Map.of("transB", new Attr.IntAttr(1)), b.op("Flatten", sum),
                b.constant("wg", random(r, 0.3, 3, 36)), b.constant("bg", random(r, 0.1, 3)));
        b.output(g, "y", null);
        return ModelLoader.prepare(b.build());
    }

    /**
     * x[batch,2,6,6] → Relu → Conv(2→5, 3×3, pad 1) → Relu → GlobalAveragePool → Flatten → Gemm(transB, 5→3),
     * the head of a ResNet.
     */
    static Model pooledHead(long seed) {
        Random r = new Random(seed);
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", new TensorType(DType.FLOAT, List.of(Dim.symbolic("batch"), Dim.of(2), Dim.of(6), Dim.of(6))));
        Value c1 = b.op("Conv", Map.of("pads", Attr.IntsAttr.of(1, 1, 1, 1)), b.op("Relu", x),
                b.constant("w1", random(r, 0.4, 5, 2, 3, 3)), b.constant("b1", random(r, 0.1, 5)));
        Value pooled = b.op("GlobalAveragePool", b.op("Relu", c1));
        Value g = b.op("Gemm", Map.of("transB", new Attr.IntAttr(1)), b.op("Flatten", pooled),
                b.constant("wg", random(r, 0.5, 3, 5)), b.constant("bg", random(r, 0.1, 3)));
        b.output(g, "y", null);
        return ModelLoader.prepare(b.build());
    }

    /**
     * x[batch,2,6,6] → Relu → Conv(2→4, 3×3, pad 1) → Relu → Conv(4→6, 3×3, pad 1) → Relu → GlobalAveragePool →
     * Flatten → Gemm(transB, 6→3): two chained convs without a MaxPool, whose ties an ADC's coarse outputs make common
     * (and which engines whose forward values differ in the last bit may route differently).
     */
    static Model twoConvs(long seed) {
        Random r = new Random(seed);
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", new TensorType(DType.FLOAT, List.of(Dim.symbolic("batch"), Dim.of(2), Dim.of(6), Dim.of(6))));
        Value c2 = twoConvLayers(b, r, x);
        Value pooled = b.op("GlobalAveragePool", b.op("Relu", c2));
        Value g = b.op("Gemm", Map.of("transB", new Attr.IntAttr(1)), b.op("Flatten", pooled),
                b.constant("wg", random(r, 0.5, 3, 6)), b.constant("bg", random(r, 0.1, 3)));
        b.output(g, "y", null);
        return ModelLoader.prepare(b.build());
    }

    /** Relu → Conv(2→4, 3×3, pad 1, "w1", "b1") → Relu → Conv(4→6, 3×3, pad 1, "w2", "b2"), the start of cnn and twoConvs. */
    private static Value twoConvLayers(GraphBuilder b, Random r, Value x) {
        Value c1 = b.op("Conv", Map.of("pads", Attr.IntsAttr.of(1, 1, 1, 1)), b.op("Relu", x),
                b.constant("w1", random(r, 0.4, 4, 2, 3, 3)), b.constant("b1", random(r, 0.1, 4)));
        return b.op("Conv", Map.of("pads", Attr.IntsAttr.of(1, 1, 1, 1)), b.op("Relu", c1),
                b.constant("w2", random(r, 0.3, 6, 4, 3, 3)), b.constant("b2", random(r, 0.1, 6)));
    }

    static Tensor random(Random r, double std, long... shape) {
        float[] v = new float[(int) Tensor.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return Tensor.ofFloats(shape, v);
    }

    static List<INDArray> batches(long seed, int count, int batch) {
        Random r = new Random(seed);
        List<INDArray> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] v = new float[batch * 2 * 6 * 6];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) r.nextGaussian();
            }
            out.add(Nd4j.create(v, new long[] {batch, 2, 6, 6}, 'c'));
        }
        return out;
    }
}
