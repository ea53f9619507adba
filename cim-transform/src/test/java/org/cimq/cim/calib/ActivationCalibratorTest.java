package org.cimq.cim.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cimq.ir.DType;
import org.cimq.ir.Dim;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Model;
import org.cimq.ir.Node;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ActivationCalibratorTest {
    private static final int S = 5;
    private static final int K = 3;
    private static final int O = S - K + 1;
    private static final TensorType X = new TensorType(DType.FLOAT,
            List.of(Dim.symbolic("N"), Dim.of(1), Dim.of(S), Dim.of(S)));

    private static float[] random(Random r, int n, double scale) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (r.nextGaussian() * scale);
        }
        return f;
    }

    private static List<float[]> images(int count, long seed) {
        Random r = new Random(seed);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(random(r, S * S, 2));
        }
        return out;
    }

    /** Batches of the given sizes from {@code images}, shaped [b, 1, S, S]. */
    private static List<INDArray> batches(List<float[]> images, int... sizes) {
        List<INDArray> out = new ArrayList<>();
        int at = 0;
        for (int b : sizes) {
            float[] flat = new float[b * S * S];
            for (int i = 0; i < b; i++) {
                System.arraycopy(images.get(at + i), 0, flat, i * S * S, S * S);
            }
            out.add(Nd4j.createFromArray(flat).reshape(b, 1, S, S));
            at += b;
        }
        return out;
    }

    private static float[] relu(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.max(0f, v[i]);
        }
        return out;
    }

    /** One input channel, {@code w.length / (K·K)} output channels, no padding, stride 1. */
    private static float[] conv(float[] image, float[] w) {
        int channels = w.length / (K * K);
        float[] out = new float[channels * O * O];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < O; y++) {
                for (int x = 0; x < O; x++) {
                    float sum = 0;
                    for (int i = 0; i < K; i++) {
                        for (int j = 0; j < K; j++) {
                            sum += image[(y + i) * S + x + j] * w[c * K * K + i * K + j];
                        }
                    }
                    out[(c * O + y) * O + x] = sum;
                }
            }
        }
        return out;
    }

    private static float[] concat(List<float[]> parts) {
        float[] out = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static void assertStats(float[] expected, double p, ActivationStats s) {
        assertEquals(PercentileTrackerTest.bruteForce(expected, p), s.percentile(), 1e-6, s.value());
        float[] abs = expected.clone();
        long negatives = 0;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < abs.length; i++) {
            negatives += expected[i] < 0 ? 1 : 0;
            min = Math.min(min, expected[i]);
            max = Math.max(max, expected[i]);
            abs[i] = Math.abs(abs[i]);
        }
        assertEquals(PercentileTrackerTest.bruteForce(abs, p), s.absPercentile(), 1e-6, s.value());
        assertEquals(expected.length, s.count());
        assertEquals(negatives, s.negatives());
        assertEquals(min, s.min(), 1e-6f);
        assertEquals(max, s.max(), 1e-6f);
        assertEquals(p, s.p());
    }

    @Test
    void watchesTheInputsOfConvAndMatMul() {
        float[] w = random(new Random(5), 2 * K * K, 0.5);
        float[] m = random(new Random(6), O * 4, 1);
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", X);
        Value r1 = b.op("Relu", x);
        Value c = b.op("Conv", r1, b.constant("w", Tensor.ofFloats(new long[] {2, 1, K, K}, w)));
        Value r2 = b.op("Relu", c);
        Value y = b.op("MatMul", r2, b.constant("m", Tensor.ofFloats(new long[] {O, 4}, m)));
        b.output(y, "y", null);
        Model model = b.build();
        Node convNode = c.producer();
        Node matMulNode = y.producer();

        List<float[]> images = images(8, 11);
        List<Integer> progress = new ArrayList<>();
        Map<String, ActivationStats> stats = new ActivationCalibrator(model, List.of(convNode, matMulNode), 90)
                .run(batches(images, 3, 3, 2).iterator(), 8, progress::add);

        assertEquals(List.of(r1.name(), r2.name()), List.copyOf(stats.keySet()));
        assertEquals(List.of(3, 6, 8), progress);
        ActivationStats in1 = stats.get(r1.name());
        assertEquals(List.of(convNode.name()), in1.layers());
        assertStats(concat(images.stream().map(ActivationCalibratorTest::relu).toList()), 90, in1);
        assertEquals(0, in1.negatives());
        ActivationStats in2 = stats.get(r2.name());
        assertEquals(List.of(matMulNode.name()), in2.layers());
        assertStats(concat(images.stream().map(i -> relu(conv(relu(i), w))).toList()), 90, in2);
        assertFalse(in2.degenerate());
    }

    @Test
    void graphInputSharedByTwoLayersIsWatchedOnce() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", X);
        Value c1 = b.op("Conv", x, b.constant("w1", Tensor.ofFloats(new long[] {1, 1, K, K}, random(new Random(1), 9, 1))));
        Value c2 = b.op("Conv", x, b.constant("w2", Tensor.ofFloats(new long[] {1, 1, K, K}, random(new Random(2), 9, 1))));
        b.output(b.op("Add", c1, c2), "y", null);
        Model model = b.build();

        List<float[]> images = images(5, 12);
        ActivationCalibrator cal = new ActivationCalibrator(model, List.of(c1.producer(), c2.producer()), 99.99);
        Map<String, ActivationStats> stats = cal.run(batches(images, 2, 3).iterator(), 5, null);

        assertEquals(List.of("x"), List.copyOf(stats.keySet()));
        ActivationStats s = stats.get("x");
        assertEquals(List.of(c1.producer().name(), c2.producer().name()), s.layers());
        assertStats(concat(images), 99.99, s);
        assertTrue(s.signed());

        Map<String, ActivationStats> again = cal.run(batches(images, 5).iterator(), 5, null);
        assertEquals(s, again.get("x"), "a second run starts afresh");
    }

    @Test
    void allZeroInputIsDegenerate() {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", X);
        Value r = b.op("Relu", b.op("Neg", b.op("Relu", x)));
        Value c = b.op("Conv", r, b.constant("w", Tensor.ofFloats(new long[] {1, 1, K, K}, random(new Random(3), 9, 1))));
        b.output(c, "y", null);
        Map<String, ActivationStats> stats = new ActivationCalibrator(b.build(), List.of(c.producer()), 99.99)
                .run(batches(images(2, 13), 2).iterator(), 2, null);
        ActivationStats s = stats.get(r.name());
        assertEquals(0.0, s.percentile(), 0.0);
        assertTrue(s.degenerate());
        assertEquals(1.0 / 15, InputScale.scale(s, 4, InputScale.Encoding.UNSIGNED), 0.0);
    }

    private static Model singleConv() {
        GraphBuilder b = new GraphBuilder(13);
        Value c = b.op("Conv", b.input("x", X), b.constant("w", Tensor.ofFloats(new long[] {1, 1, K, K}, new float[9])));
        b.output(c, "y", null);
        return b.build();
    }

    @Test
    void preInterruptedThreadStopsBeforeTheFirstBatch() {
        Model model = singleConv();
        ActivationCalibrator cal = new ActivationCalibrator(model, List.of(model.graph().nodes().get(0)), 99.99);
        List<Integer> progress = new ArrayList<>();
        Thread.currentThread().interrupt();
        try {
            CalibrationInterruptedException e = assertThrows(CalibrationInterruptedException.class,
                    () -> cal.run(batches(images(2, 14), 2).iterator(), 2, progress::add));
            assertTrue(e.getMessage().contains("after 0 of 2 images"), e.getMessage());
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag stays set");
        } finally {
            Thread.interrupted();
        }
        assertEquals(List.of(), progress);
    }

    @Test
    void imageCountMustMatchTheDeclaredTotal() {
        Model model = singleConv();
        ActivationCalibrator cal = new ActivationCalibrator(model, List.of(model.graph().nodes().get(0)), 99.99);
        List<float[]> images = images(4, 15);
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> cal.run(batches(images, 3).iterator(), 4, null));
        assertTrue(few.getMessage().contains("held 3 images, 4 were declared"), few.getMessage());
        IllegalArgumentException many = assertThrows(IllegalArgumentException.class,
                () -> cal.run(batches(images, 2, 2).iterator(), 3, null));
        assertTrue(many.getMessage().contains("more than the 3 images declared"), many.getMessage());
    }

    @Test
    void aLayerNeedsANonConstantInput() {
        GraphBuilder b = new GraphBuilder(13);
        Value k = b.constant("k", Tensor.ofFloats(new long[] {1, 1}, 2f));
        Node n = b.op("MatMul", k, k).producer();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ActivationCalibrator.activationInput(n));
        assertTrue(e.getMessage().contains("no non-constant input"), e.getMessage());
    }
}
