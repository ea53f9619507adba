package org.cimq.cim.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.cimq.cim.config.CimConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gradients of the CIM forward: with L = 0 they equal the fake-quantized layers' (one Conv or
 * MatMul of the integer codes) although planes, slices and arrays are separate; with an ADC
 * whose range is small they differ (clipped partial sums pass no gradient).
 */
class GradientTest {
    private static final CimConfig CFG = CimConfig.DEFAULTS.with("digital_layers", "").with("rows", "16");

    @Test
    void withoutAdcEveryParameterGradientEqualsTheFakeQuantizedLayers() {
        TrainTestSetup t = new TrainTestSetup(CFG, 16);
        Map<String, LayerQuant> q = t.recalibration().run(Parameters.of(t.prepared), 0, null);
        Map<String, INDArray> cim = step(t, q, false);
        Map<String, INDArray> fake = step(t, q, true);
        assertEquals(6, cim.size());
        for (String k : cim.keySet()) {
            double scale = fake.get(k).amaxNumber().doubleValue();
            assertTrue(scale > 0, k + ": zero gradient");
            double diff = cim.get(k).sub(fake.get(k)).amaxNumber().doubleValue();
            assertTrue(diff <= 1e-4 * scale, k + ": max |difference| " + diff + " vs max |gradient| " + scale);
        }
    }

    @Test
    void aNarrowAdcChangesTheWeightGradients() {
        TrainTestSetup t = new TrainTestSetup(CFG, 16);
        Map<String, LayerQuant> none = t.recalibration().run(Parameters.of(t.prepared), 0, null);
        Map<String, LayerQuant> adc = new java.util.LinkedHashMap<>();
        none.forEach((k, v) -> adc.put(k, new LayerQuant(v.inputScale(), 3, 1f, v.rowStarts())));
        Map<String, INDArray> a = step(t, none, false);
        Map<String, INDArray> b = step(t, adc, false);
        double diff = a.get("w2").sub(b.get("w2")).amaxNumber().doubleValue();
        assertTrue(diff > 1e-3 * a.get("w2").amaxNumber().doubleValue(), "the ADC did not change w2's gradient: " + diff);
    }

    private static Map<String, INDArray> step(TrainTestSetup t, Map<String, LayerQuant> q, boolean fake) {
        TrainingGraph g = TrainingGraph.build(t.prepared, CFG, t.layers, q, Parameters.of(t.prepared), 3, fake);
        INDArray x = Nd4j.create(t.data.images(), new long[] {16, 2, 6, 6}, 'c');
        INDArray y = Nd4j.zeros(16, 3);
        for (int i = 0; i < 16; i++) {
            y.putScalar(i, t.data.labels()[i], 1f);
        }
        return TrainTestSetup.copy(g.step(x, y).gradients());
    }
}
