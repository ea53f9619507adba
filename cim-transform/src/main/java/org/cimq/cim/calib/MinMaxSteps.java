package org.cimq.cim.calib;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cimq.cim.AdcSetting;
import org.cimq.cim.CimTransformException;
import org.cimq.cim.config.Granularity;
import org.cimq.cim.config.Quantizer;

/**
 * The simple baseline range: Δ from the largest |partial sum| m seen, so the quantizer's range
 * reaches m. Zero-tread, odd L: Δ = m / ((L−1)/2) (the top level is m). Zero-tread, even L:
 * Δ = m / (L/2) (the bottom level −(L/2)·Δ is −m; the top is (L/2 − 1)·Δ). Mid-rise (even L):
 * Δ = m / (L/2 − 1/2) (the top level (L/2 − 1/2)·Δ is m). m = 0 gives Δ = 1. Granularity network
 * takes m over every layer, layer over the layer's arrays, array per array.
 */
public final class MinMaxSteps {
    private MinMaxSteps() {
    }

    public static double delta(double maxAbs, int levels, Quantizer q) {
        if (maxAbs <= 0) {
            return 1;
        }
        if (q == Quantizer.MID_RISE) {
            return maxAbs / (levels / 2.0 - 0.5);
        }
        return levels % 2 == 1 ? maxAbs / ((levels - 1) / 2.0) : maxAbs / (levels / 2.0);
    }

    public static Map<String, AdcSetting> settings(Map<String, double[]> maxPerArray, int levels, Quantizer q, Granularity g) {
        Map<String, AdcSetting> out = new LinkedHashMap<>();
        double network = maxPerArray.values().stream().flatMapToDouble(java.util.Arrays::stream).max().orElse(0);
        for (Map.Entry<String, double[]> e : maxPerArray.entrySet()) {
            double[] m = e.getValue();
            AdcSetting s = switch (g) {
                case NETWORK -> AdcSetting.uniform(levels, q, delta(network, levels, q));
                case LAYER -> AdcSetting.uniform(levels, q, delta(java.util.Arrays.stream(m).max().orElse(0), levels, q));
                case ARRAY -> {
                    double[] d = new double[m.length];
                    for (int t = 0; t < m.length; t++) {
                        d[t] = delta(m[t], levels, q);
                    }
                    yield new AdcSetting(levels, q, 0, d, null);
                }
                case COLUMN -> throw new CimTransformException("granularity column is not supported by the minmax baseline"
                        + " (it keeps one step per network, layer or array)");
            };
            out.put(e.getKey(), s);
        }
        return out;
    }
}
