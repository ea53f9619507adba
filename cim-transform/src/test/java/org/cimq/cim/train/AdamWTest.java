package org.cimq.cim.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link AdamW} against the update written out in double, step by step; its state continues a run exactly. */
class AdamWTest {
    private static final float[] W0 = {0.5f, -1.25f, 2f, 0f};
    private static final float[][] GRADS = {{0.1f, -0.2f, 0f, 3f}, {-0.05f, -0.2f, 1e-3f, -3f}, {0.4f, 0.01f, 2f, 0f}};

    @Test
    void threeStepsEqualTheUpdateComputedInDouble() {
        double lr = 0.01;
        double wd = 0.1;
        double[] w = new double[W0.length];
        double[] m = new double[W0.length];
        double[] v = new double[W0.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = W0[i];
        }
        AdamW adam = new AdamW(wd, null);
        Map<String, INDArray> params = params();
        for (int t = 1; t <= GRADS.length; t++) {
            adam.step(params, Map.of("w", Nd4j.create(GRADS[t - 1], new long[] {4}, 'c')), lr);
            for (int i = 0; i < w.length; i++) {
                double g = GRADS[t - 1][i];
                w[i] *= 1 - lr * wd;
                m[i] = 0.9 * m[i] + 0.1 * g;
                v[i] = 0.999 * v[i] + 0.001 * g * g;
                w[i] -= lr * (m[i] / (1 - Math.pow(0.9, t))) / (Math.sqrt(v[i] / (1 - Math.pow(0.999, t))) + 1e-8);
            }
            float[] got = params.get("w").data().asFloat();
            for (int i = 0; i < w.length; i++) {
                assertEquals(w[i], got[i], 1e-6 * Math.max(1, Math.abs(w[i])), "step " + t + ", element " + i);
            }
        }
        // the first step moves every weight with a non-zero gradient by lr (less ε's share), whatever the gradient's size
        Map<String, INDArray> once = params();
        new AdamW(0, null).step(once, Map.of("w", Nd4j.create(GRADS[0], new long[] {4}, 'c')), lr);
        float[] moved = once.get("w").data().asFloat();
        assertEquals(0.5 - lr, moved[0], 1e-6);
        assertEquals(-1.25 + lr, moved[1], 1e-6);
        assertEquals(2.0, moved[2], 0, "a zero gradient does not move the weight");
        assertEquals(-lr, moved[3], 1e-6);
        assertEquals(3f, adam.state().get(AdamW.STEPS).getFloat(0));
    }

    @Test
    void aRunContinuedFromItsStateEqualsAnUninterruptedOne() {
        AdamW straight = new AdamW(5e-4, null);
        Map<String, INDArray> a = params();
        for (float[] g : GRADS) {
            straight.step(a, Map.of("w", Nd4j.create(g, new long[] {4}, 'c')), 0.003);
        }
        AdamW first = new AdamW(5e-4, null);
        Map<String, INDArray> b = params();
        first.step(b, Map.of("w", Nd4j.create(GRADS[0], new long[] {4}, 'c')), 0.003);
        Map<String, INDArray> saved = new LinkedHashMap<>();
        first.state().forEach((k, v) -> saved.put(k, v.dup()));
        AdamW second = new AdamW(5e-4, saved);
        for (int t = 1; t < GRADS.length; t++) {
            second.step(b, Map.of("w", Nd4j.create(GRADS[t], new long[] {4}, 'c')), 0.003);
        }
        assertArrayEquals(a.get("w").data().asFloat(), b.get("w").data().asFloat());
        TrainingException e = assertThrows(TrainingException.class, () -> new AdamW(0, Map.of("w", Nd4j.zeros(4))));
        assertTrue(e.getMessage().contains("no Adam state"), e.getMessage());
        assertThrows(TrainingException.class, () -> new AdamW(0, null).step(params(), Map.of(), 0.1));
    }

    private static Map<String, INDArray> params() {
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("w", Nd4j.create(W0.clone(), new long[] {4}, 'c'));
        return p;
    }
}
