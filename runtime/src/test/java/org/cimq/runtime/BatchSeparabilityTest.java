package org.cimq.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiFunction;
import org.cimq.ir.Attr;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Model;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.junit.jupiter.api.Test;

/** Which graphs {@link BatchSeparability} lets run as batch parts, and the reasons it gives for the others. */
class BatchSeparabilityTest {
    static final TensorType IMAGES = new TensorType(DType.FLOAT, List.of(Dim.symbolic("N"), Dim.of(3), Dim.of(8), Dim.of(8)));

    static Tensor floats(Random r, long... shape) {
        float[] v = new float[(int) Tensor.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian() * 0.3f;
        }
        return Tensor.ofFloats(shape, v);
    }

    static Tensor longs(long... v) {
        return Tensor.ofLongs(new long[] {v.length}, v);
    }

    /**
     * A small residual CNN with ResNet-20's kinds of nodes: Conv, Relu, a residual Add, an option-A shortcut (Slice
     * on H and W, Pad on channels), Clip with constant bounds, global pooling, Flatten, Gemm with a bias row and a
     * Reshape that keeps axis 0. No intermediate value has a type: ranks are derived.
     */
    static Model residualNet(long seed) {
        Random r = new Random(seed);
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", IMAGES);
        Value c1 = b.op("Relu", b.op("Conv", Map.of("pads", Attr.IntsAttr.of(1, 1, 1, 1)), x,
                b.constant("w1", floats(r, 4, 3, 3, 3)), b.constant("b1", floats(r, 4))));
        Value c2 = b.op("Conv", Map.of("pads", Attr.IntsAttr.of(1, 1, 1, 1)), c1, b.constant("w2", floats(r, 4, 4, 3, 3)));
        Value res = b.op("Relu", b.op("Add", c2, c1));
        Value sub = b.op("Slice", res, b.constant("st", longs(0, 0)), b.constant("en", longs(Long.MAX_VALUE, Long.MAX_VALUE)),
                b.constant("ax", longs(2, 3)), b.constant("sp", longs(2, 2)));
        Value padded = b.op("Pad", sub, b.constant("pads", longs(0, 2, 0, 0, 0, 2, 0, 0)));
        Value down = b.op("Conv", Map.of("pads", Attr.IntsAttr.of(1, 1, 1, 1), "strides", Attr.IntsAttr.of(2, 2)), res,
                b.constant("w3", floats(r, 8, 4, 3, 3)));
        Value clipped = b.op("Clip", b.op("Add", down, padded), b.constant("lo", Tensor.scalar(0f)),
                b.constant("hi", Tensor.scalar(6f)));
        Value pooled = b.op("GlobalAveragePool", clipped);
        Value flat = b.op("Reshape", pooled, b.constant("shape", longs(0, -1)));
        Value logits = b.op("Gemm", Map.of("transB", new Attr.IntAttr(1)), b.op("Flatten", flat),
                b.constant("fw", floats(r, 5, 8)), b.constant("fb", floats(r, 5)));
        b.output(logits, "y", null);
        return b.build();
    }

    @Test
    void aResidualCnnComputesEveryImageOnItsOwn() {
        assertEquals(Optional.empty(), BatchSeparability.whyNot(residualNet(1)));
    }

    /** x (per image, 4-D) through one node made by {@code tail}; the reason the graph is refused, if any. */
    private static Optional<String> after(BiFunction<GraphBuilder, Value, Value> tail) {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.op("Relu", b.input("x", IMAGES));
        b.output(tail.apply(b, x), "y", null);
        return BatchSeparability.whyNot(b.build());
    }

    private static void refused(Optional<String> why, String... words) {
        assertTrue(why.isPresent(), "refused");
        for (String w : words) {
            assertTrue(why.get().contains(w), why.get() + " mentions " + w);
        }
    }

    @Test
    void nodesThatMixOrMayMixImagesAreRefusedByName() {
        refused(after((b, x) -> b.op("Flatten", Map.of("axis", new Attr.IntAttr(0)), x)), "Flatten", "axis 0");
        refused(after((b, x) -> b.op("Transpose", Map.of("perm", Attr.IntsAttr.of(1, 0, 2, 3)), x)), "Transpose",
                "moves axis 0");
        refused(after((b, x) -> b.op("Softmax", Map.of("axis", new Attr.IntAttr(-4)), x)), "Softmax", "axis 0");
        refused(after((b, x) -> b.op("Slice", x, b.constant("s", longs(1)), b.constant("e", longs(Long.MAX_VALUE)),
                b.constant("a", longs(0)))), "Slice", "slices axis 0");
        refused(after((b, x) -> b.op("Pad", x, b.constant("p", longs(1, 0, 0, 0, 0, 0, 0, 0)))), "Pad", "pads axis 0");
        refused(after((b, x) -> b.op("Concat", Map.of("axis", new Attr.IntAttr(0)), x, x)), "Concat", "axis 0");
        refused(after((b, x) -> b.op("Reshape", x, b.constant("s", longs(-1)))), "Reshape");
        refused(after((b, x) -> b.op("ReduceSum", x)), "ReduceSum", "no batch rule");
        refused(after((b, x) -> b.op("Shape", x)), "Shape", "no batch rule");
        // a constant with two entries along the batch axis, and a per-image value whose axis 0 lines up with H
        refused(after((b, x) -> b.op("Add", x, b.constant("k", floats(new Random(2), 2, 3, 8, 8)))), "Add",
                "constant k");
        refused(after((b, x) -> b.op("Add", x, b.op("Flatten", x))), "Add", "axis 0 off the batch");
        refused(after((b, x) -> b.op("Gemm", Map.of("transA", new Attr.IntAttr(1)), b.op("Flatten", x),
                b.constant("w", floats(new Random(3), 192, 2)))), "Gemm", "transposes A");
        refused(after((b, x) -> b.node("MaxPool", Map.of("kernel_shape", Attr.IntsAttr.of(2, 2)), 2, x).output(1)),
                "MaxPool", "indices");
        // a computed Conv weight
        refused(after((b, x) -> b.op("Conv", x, x)), "Conv", "not a constant");
        // batch statistics: inference-mode BatchNormalization is per image, training mode is not
        for (int training : new int[] {0, 1}) {
            Optional<String> why = after((b, x) -> b.op("BatchNormalization", Map.of("training_mode", new Attr.IntAttr(training)), x,
                    b.constant("s", floats(new Random(6), 3)), b.constant("o", floats(new Random(7), 3)),
                    b.constant("m", floats(new Random(8), 3)), b.constant("v", floats(new Random(9), 3))));
            if (training == 1) {
                refused(why, "BatchNormalization", "training_mode=1");
            } else {
                assertEquals(Optional.empty(), why);
            }
        }
    }

    @Test
    void whatStaysPerImageIsAccepted() {
        assertEquals(Optional.empty(), after((b, x) -> b.op("Concat", Map.of("axis", new Attr.IntAttr(1)), x, x)));
        assertEquals(Optional.empty(), after((b, x) -> b.op("Softmax", Map.of("axis", new Attr.IntAttr(1)), x)));
        assertEquals(Optional.empty(), after((b, x) -> b.op("Transpose", Map.of("perm", Attr.IntsAttr.of(0, 2, 3, 1)), x)));
        assertEquals(Optional.empty(), after((b, x) -> b.op("Add", x, b.constant("k", floats(new Random(4), 1, 3, 8, 8)))));
        assertEquals(Optional.empty(), after((b, x) -> b.op("Mul", x, b.constant("k", floats(new Random(5), 3, 1, 1)))));
        // [-1, 192] from [N, 3, 8, 8]: one row per image (the input's type gives the image size); [-1, 96] is not
        for (long cols : new long[] {192, 96}) {
            GraphBuilder b = new GraphBuilder(13);
            b.output(b.op("Reshape", b.input("x", IMAGES), b.constant("s", longs(-1, cols))), "y", null);
            Optional<String> why = BatchSeparability.whyNot(b.build());
            assertEquals(cols == 96, why.isPresent(), why.toString());
        }
    }

    @Test
    void theInputMustHaveAFreeBatchSize() {
        GraphBuilder b = new GraphBuilder(13);
        b.output(b.op("Relu", b.input("x", TensorType.of(DType.FLOAT, 4, 3, 8, 8))), "y", null);
        refused(BatchSeparability.whyNot(b.build()), "fixed batch size 4");
    }
}
