package org.cimq.cim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.cimq.cim.config.CimConfig;
import org.cimq.cim.config.Quantizer;
import org.cimq.ir.DType;
import org.cimq.ir.GraphBuilder;
import org.cimq.ir.Model;
import org.cimq.ir.Tensor;
import org.cimq.ir.TensorType;
import org.cimq.ir.Value;
import org.cimq.runtime.Executor;
import org.cimq.runtime.ModelLoader;
import org.cimq.runtime.cim.InputMode;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A Gemm worked by hand: w = [3, −2, 1] (Bw = 3, s_w = 1, q = w), codes a = [3, 1, 2] (Ba = 2,
 * s_x = 1, d = 1: planes p0 = [1,1,0], p1 = [1,0,1]), R = 2 (arrays: rows {0,1} and {2}), c = 1
 * differential (slices: s0 = [1,0,1], s1 = [1,−1,0]).
 * Partial sums, array 0: p0·s0 = 1, p0·s1 = 0, p1·s0 = 1, p1·s1 = 1; array 1: 0, 0, 1, 0.
 * Without ADC: Σ 2^i·2^j·ps = 9 = Σ a·q. With L = 3, Δ = 0.5: Q(1) = 0.5, Q(0) = 0, so array 0
 * gives 0.5 + 2·(0.5 + 2·0.5) = 3.5, array 1 gives 2·0.5 = 1: 4.5. With L = 2 (levels −Δ, 0)
 * every positive partial sum reads 0: 0.
 */
class CimHandComputedTest {
    private static float run(int levels, double delta) {
        GraphBuilder b = new GraphBuilder(13);
        Value x = b.input("x", TensorType.of(DType.FLOAT, 1, 3));
        b.output(b.op("Gemm", x, b.constant("w", Tensor.ofFloats(new long[] {3, 1}, 3, -2, 1))), "y", null);
        Model m = ModelLoader.prepare(b.build());
        CimConfig cfg = CimConfig.DEFAULTS.with("rows", "2").with("weight_bits", "3").with("input_bits", "2")
                .with("digital_layers", "");
        List<MappedLayer> layers = MappedLayers.find(m.graph());
        AdcSetting adc = levels == 0 ? AdcSetting.NONE : AdcSetting.uniform(levels, Quantizer.ZERO_TREAD, delta);
        Map<String, TilePlan> plans = new CimTransform(cfg).apply(m, layers,
                Map.of(layers.get(0).name(), new LayerSetting(1f, InputMode.UNSIGNED, adc)));
        TilePlan p = plans.values().iterator().next();
        assertEquals(2, p.rowTiles());
        assertEquals(2, p.slices());
        assertEquals(2, p.planes());
        assertEquals(2 * 2 * 2, p.adcConversionsPerImage(), "2 arrays × 2 columns × 2 planes × 1 position");
        return new Executor(m).run(Nd4j.createFromArray(new float[][] {{3, 1, 2}}))[0].getFloat(0);
    }

    @Test
    void gemmOnTwoArraysMatchesTheHandComputation() {
        assertEquals(9f, run(0, 0));
        assertEquals(4.5f, run(3, 0.5));
        assertEquals(0f, run(2, 1));
        assertArrayEquals(new float[] {9f}, new float[] {run(7, 1)}, "lossless: max |ps| = 1, L = 7 > 2·1 + 1");
    }
}
