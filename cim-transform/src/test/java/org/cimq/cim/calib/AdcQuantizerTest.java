package org.cimq.cim.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.cimq.cim.config.Quantizer;
import org.cimq.ir.Attr;
import org.cimq.ir.Node;
import org.cimq.runtime.StandardKernels;
import org.cimq.runtime.cim.CimOps;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link AdcQuantizer}'s float32 Q equals the runtime's AdcQuantize kernel exactly (0 and −0 alike); level·Δ in double is within one float32 rounding. */
class AdcQuantizerTest {
    @Test
    void matchesTheKernelOnRandomValuesAndSteps() {
        Random r = new Random(5);
        int[] levels = {2, 3, 4, 5, 8, 9, 16, 17};
        for (int trial = 0; trial < 200; trial++) {
            int l = levels[r.nextInt(levels.length)];
            Quantizer q = l % 2 == 0 && r.nextBoolean() ? Quantizer.MID_RISE : Quantizer.ZERO_TREAD;
            float delta = r.nextInt(4) == 0 ? (r.nextInt(64) + 1) / 16f : (float) Math.exp(r.nextGaussian() * 1.5);
            float[] v = new float[256];
            for (int i = 0; i < v.length; i++) {
                v[i] = i % 2 == 0 ? r.nextInt(257) - 128 : (float) (r.nextGaussian() * 30);
            }
            float[] kernel = kernel(v, delta, l, q);
            for (int i = 0; i < v.length; i++) {
                String where = "v " + v[i] + ", delta " + delta + ", L " + l + ", " + q.id();
                assertEquals(kernel[i], AdcQuantizer.quantize(v[i], delta, l, q), 0f, where);
                assertEquals(kernel[i], (double) AdcQuantizer.level(v[i], delta, l, q) * delta, Math.ulp(kernel[i]), where);
            }
        }
    }

    private static float[] kernel(float[] v, float delta, int levels, Quantizer q) {
        Node n = new Node("adc", CimOps.ADC, CimOps.DOMAIN);
        n.setAttr("levels", new Attr.IntAttr(levels));
        n.setAttr("delta", new Attr.FloatAttr(delta));
        n.setAttr("quantizer", Attr.StringAttr.of(q.id()));
        INDArray x = Nd4j.createFromArray(v);
        return StandardKernels.registry().find(CimOps.DOMAIN, CimOps.ADC, CimOps.VERSION).create(n, CimOps.VERSION)
                .run(new INDArray[] {x})[0].dup('c').data().asFloat();
    }
}
