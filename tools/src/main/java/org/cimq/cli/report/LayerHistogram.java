package org.cimq.cli.report;

import java.util.List;
import java.util.Map;
import org.cimq.cim.calib.AdcQuantizer;
import org.cimq.cim.config.Quantizer;

/**
 * One mapped layer's partial sums over the calibration images, all arrays, input planes and weight
 * slices pooled (the values its ADCs see, unweighted), with the ADC drawn on them: L levels of
 * step {@code delta} found by {@code chosenMethod}, and the step each method would choose at L.
 *
 * @param counts       counts of the integer partial sums −bound .. bound (index v + bound)
 * @param methodDeltas Δ per method id (minmax, sigma3, mse, mse-network), in display order
 * @param note         a remark shown under the chart, or null
 */
public record LayerHistogram(String layer, long[] counts, int levels, Quantizer quantizer, double delta, String chosenMethod,
                             Map<String, Double> methodDeltas, String note) {
    /** The bound: counts run over [−bound, bound]. */
    public int bound() {
        return (counts.length - 1) / 2;
    }

    /** Partial sums counted. */
    public long total() {
        long n = 0;
        for (long c : counts) {
            n += c;
        }
        return n;
    }

    /** The values Q can output, lowest first: ℓ·Δ (zero-tread) or (ℓ + ½)·Δ (mid-rise). */
    public List<Double> outputLevels() {
        return outputLevels(levels, quantizer, delta);
    }

    /** The decision thresholds between neighbouring output levels, lowest first: (ℓ + ½)·Δ (zero-tread) or ℓ·Δ (mid-rise). */
    public List<Double> thresholds() {
        return thresholds(levels, quantizer, delta);
    }

    static List<Double> outputLevels(int levels, Quantizer q, double delta) {
        double shift = q == Quantizer.MID_RISE ? 0.5 : 0;
        return range(levels).stream().map(l -> (l + shift) * delta).toList();
    }

    static List<Double> thresholds(int levels, Quantizer q, double delta) {
        double above = q == Quantizer.MID_RISE ? 1 : 0.5;
        List<Integer> r = range(levels);
        return r.subList(0, r.size() - 1).stream().map(l -> (l + above) * delta).toList();
    }

    private static List<Integer> range(int levels) {
        int lo = AdcQuantizer.lowest(levels);
        return java.util.stream.IntStream.rangeClosed(lo, AdcQuantizer.highest(levels)).boxed().toList();
    }
}
