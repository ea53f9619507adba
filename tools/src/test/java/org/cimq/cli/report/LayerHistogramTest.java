package org.cimq.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.cimq.cim.calib.AdcQuantizer;
import org.cimq.cim.config.Quantizer;
import org.junit.jupiter.api.Test;

/** The levels and thresholds drawn on a histogram, by hand and against the quantizer itself. */
class LayerHistogramTest {
    @Test
    void levelsAndThresholdsByHand() {
        assertEquals(List.of(-2.0, 0.0, 2.0), of(3, Quantizer.ZERO_TREAD, 2).outputLevels());
        assertEquals(List.of(-1.0, 1.0), of(3, Quantizer.ZERO_TREAD, 2).thresholds());
        assertEquals(List.of(-2.0, -1.0, 0.0, 1.0), of(4, Quantizer.ZERO_TREAD, 1).outputLevels());
        assertEquals(List.of(-1.5, -0.5, 0.5), of(4, Quantizer.ZERO_TREAD, 1).thresholds());
        assertEquals(List.of(-3.0, -1.0, 1.0, 3.0), of(4, Quantizer.MID_RISE, 2).outputLevels());
        assertEquals(List.of(-2.0, 0.0, 2.0), of(4, Quantizer.MID_RISE, 2).thresholds());
    }

    @Test
    void thresholdsSeparateWhatTheQuantizerOutputs() {
        for (Quantizer q : Quantizer.values()) {
            for (int levels : new int[] {2, 3, 4, 5, 8, 9}) {
                if (q == Quantizer.MID_RISE && levels % 2 == 1) {
                    continue;
                }
                LayerHistogram h = of(levels, q, 2.5);
                List<Double> out = h.outputLevels();
                List<Double> t = h.thresholds();
                assertEquals(levels, out.size());
                assertEquals(levels - 1, t.size());
                for (int i = 0; i < t.size(); i++) {
                    // just below a threshold Q gives level i, just above it level i + 1
                    float below = (float) (t.get(i) - 0.01);
                    float above = (float) (t.get(i) + 0.01);
                    assertEquals(out.get(i), AdcQuantizer.quantize(below, 2.5f, levels, q), 1e-6, q + " L=" + levels);
                    assertEquals(out.get(i + 1), AdcQuantizer.quantize(above, 2.5f, levels, q), 1e-6, q + " L=" + levels);
                }
            }
        }
    }

    @Test
    void countsAndBound() {
        LayerHistogram h = new LayerHistogram("l", new long[] {1, 0, 5, 2, 0}, 3, Quantizer.ZERO_TREAD, 1, "mse", Map.of(), null);
        assertEquals(2, h.bound());
        assertEquals(8, h.total());
    }

    private static LayerHistogram of(int levels, Quantizer q, double delta) {
        return new LayerHistogram("l", new long[] {0, 1, 0}, levels, q, delta, "mse", Map.of("mse", delta), null);
    }
}
