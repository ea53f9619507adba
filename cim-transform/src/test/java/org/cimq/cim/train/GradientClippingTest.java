package org.cimq.cim.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Global-norm clipping: the norm of all gradients together, scaled to the limit only when above it and in the same
 * direction; in training, clipped steps move the weights by at most lr·limit in the first step.
 */
class GradientClippingTest {
    @Test
    void scalesAllGradientsTogetherOnlyAboveTheLimit() {
        Map<String, INDArray> g = new LinkedHashMap<>();
        g.put("a", Nd4j.create(new float[] {3f, 0f}, new long[] {2}, 'c'));
        g.put("b", Nd4j.create(new float[] {0f, 0f, 4f}, new long[] {3}, 'c'));
        assertEquals(5.0, GradientClipping.norm(g), 1e-9);
        Map<String, INDArray> c = GradientClipping.clipped(g, 1.0);
        assertArrayEquals(new float[] {0.6f, 0f}, c.get("a").data().asFloat(), 1e-6f);
        assertArrayEquals(new float[] {0f, 0f, 0.8f}, c.get("b").data().asFloat(), 1e-6f);
        assertArrayEquals(new float[] {3f, 0f}, g.get("a").data().asFloat(), "the input is not changed");
        assertSame(g, GradientClipping.clipped(g, 5.0), "at the limit nothing is scaled");
        assertSame(g, GradientClipping.clipped(g, 10.0));
    }

    @Test
    void aClippedFirstStepMovesTheWeightsByAtMostTheRateTimesTheLimit() {
        TrainTestSetup t = new TrainTestSetup(org.cimq.cim.config.CimConfig.DEFAULTS.with("digital_layers", "").with("rows", "16"), 16);
        Checkpoint start = t.fresh(0);
        Map<String, INDArray> before = TrainTestSetup.copy(start.params());
        double limit = 1e-3;
        double lr = 0.1;
        Trainer tr = new Trainer(t.prepared, t.layers, t.cfg, new Trainer.Options(1, 16, lr, 0.9, 0, 7, new int[] {0}, 0, null, "test",
                Backward.FAKE_QUANT_SCALED)).clippingGradients(limit);
        Trainer.Result r = tr.run(t.data, start, t.recalibration(), TrainTestSetup.QUIET, null);
        double moved = 0;
        for (Map.Entry<String, INDArray> e : before.entrySet()) {
            double d = r.params().values().get(e.getKey()).sub(e.getValue()).norm2Number().doubleValue();
            moved += d * d;
        }
        moved = Math.sqrt(moved);
        assertTrue(moved > 0 && moved <= lr * limit * 1.0001, "one clipped step moved the weights by " + moved);
        assertThrows(TrainingException.class, () -> tr.clippingGradients(0));
    }
}
