package org.cimq.cli.report;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cimq.cim.AdcSetting;
import org.cimq.cim.calib.LayerHistograms;
import org.cimq.cim.calib.RangeSearch;
import org.cimq.cim.config.Granularity;
import org.cimq.cim.config.LayerRange;
import org.cimq.cim.config.Quantizer;
import org.cimq.cim.config.Ranges;

/**
 * The report's per-layer histograms from the counts of {@link org.cimq.cim.calib.PartialSumHistograms}:
 * every array, plane and slice of a layer pooled without weights, with the steps of every
 * {@link RangeSearch.Method} at L (one Δ per layer; mse-network one for all layers) searched on
 * the same counts. The drawn Δ is the file's when a ranges file gives one per layer (or network),
 * else mse's.
 */
public final class ReportHistograms {
    private ReportHistograms() {
    }

    /**
     * @param ranges     a ranges file already checked against the mapped layers and L, or null
     * @param rangesName the file's name, for notes
     */
    public static List<LayerHistogram> of(Map<String, LayerHistograms> hists, int levels, Quantizer q, Ranges ranges,
                                          String rangesName) {
        Map<RangeSearch.Method, Map<String, AdcSetting>> steps = new EnumMap<>(RangeSearch.Method.class);
        for (RangeSearch.Method m : RangeSearch.Method.values()) {
            Granularity g = m == RangeSearch.Method.MSE_NETWORK ? Granularity.NETWORK : Granularity.LAYER;
            steps.put(m, RangeSearch.run(hists, m, g, levels, q, false));
        }
        List<LayerHistogram> out = new ArrayList<>();
        for (LayerHistograms h : hists.values()) {
            Map<String, Double> deltas = new LinkedHashMap<>();
            steps.forEach((m, s) -> deltas.put(m.id(), s.get(h.layer()).delta()));
            String chosen = RangeSearch.Method.MSE.id();
            double delta = deltas.get(chosen);
            String note = null;
            if (ranges != null) {
                LayerRange r = ranges.forNode(h.layer()).orElseThrow();
                if (r.form() == Granularity.LAYER) {
                    chosen = "file:" + rangesName;
                    delta = r.delta();
                    deltas.put(chosen, delta);
                } else {
                    note = rangesName + " gives this layer per-" + r.form().id() + " steps; the levels drawn are mse's.";
                }
            }
            out.add(new LayerHistogram(h.layer(), pooled(h), levels, q, delta, chosen, deltas, note));
        }
        return out;
    }

    /** The counts of every array, plane and slice of {@code h} added up, over [−bound, bound]. */
    static long[] pooled(LayerHistograms h) {
        long[] sum = new long[2 * h.bound() + 1];
        for (int t = 0; t < h.arrays(); t++) {
            for (int p = 0; p < h.planes(); p++) {
                for (int j = 0; j < h.slices(); j++) {
                    long[] c = h.counts(t, p, j);
                    for (int i = 0; i < c.length; i++) {
                        sum[i] += c[i];
                    }
                }
            }
        }
        return sum;
    }
}
